import { describe, it, expect } from '@jest/globals';
import { Pipeline, addObserver } from '../src/index.js';
import { recorder } from './helpers.js';

interface Ctx {
  log: string[];
  email?: string;
}

describe('K11 plan(ctx) is a dry run', () => {
  it("K11 each step is planned as 'run', 'skip' with the reason, or 'fail' when it has no handlers", () => {
    const p = new Pipeline<Ctx>('planned', ['validate', 'mail', 'extra', 'broken', 'route', 'audit']);
    p.onStep('validate', () => {});
    p.onStep('mail', () => {}).skipIf('mail', (ctx) => !ctx.email, 'no email');
    p.optional('extra');
    // 'broken' is required and has no handlers
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runHandler(() => {})
      .finalize();
    p.afterStep('audit', () => {});

    const plan = p.plan({ log: [] });

    expect(Array.isArray(plan)).toBe(true);
    expect(plan.map((e) => [e.step, e.action])).toEqual([
      ['validate', 'run'],
      ['mail', 'skip'],
      ['extra', 'skip'],
      ['broken', 'fail'],
      ['route', 'run'],
      ['audit', 'run'],
    ]);
    expect(plan[1]).toMatchObject({ step: 'mail', action: 'skip', reason: 'no email' });
    expect(plan[2]).toMatchObject({
      step: 'extra',
      action: 'skip',
      reason: 'optional step without handlers',
    });
  });

  it("K11 a skip without a label has the reason 'skip condition'", () => {
    const p = new Pipeline<Ctx>('nolabel', ['s']);
    p.onStep('s', () => {}).skipIf('s', () => true);

    expect(p.plan({ log: [] })).toEqual([
      expect.objectContaining({ step: 's', action: 'skip', reason: 'skip condition' }),
    ]);
  });

  it('K11 plan is synchronous: it returns an array, not a promise', () => {
    const p = new Pipeline<Ctx>('sync', ['a']);
    p.onStep('a', () => {});

    const plan: unknown = p.plan({ log: [] });

    expect(plan).not.toBeInstanceOf(Promise);
    expect(plan).toEqual([expect.objectContaining({ step: 'a', action: 'run' })]);
  });

  it('K11 nothing executes: no handler, condition or finisher is called and the context is untouched', () => {
    const called: string[] = [];
    const p = new Pipeline<Ctx>('dry', ['a', 'route']);
    p.beforeStep('a', () => {
      called.push('before');
    });
    p.onStep('a', (ctx) => {
      called.push('on');
      ctx.log.push('mutated');
    });
    p.afterStep('a', () => {
      called.push('after');
    });
    p.conditionalStep('route')
      .ifCondition(() => {
        called.push('condition');
        return true;
      })
      .runHandler(() => {
        called.push('branch');
      })
      .finalize();
    p.onFinish(() => {
      called.push('finish');
    });
    const ctx: Ctx = { log: [] };

    const plan = p.plan(ctx);

    expect(plan.map((e) => e.action)).toEqual(['run', 'run']);
    expect(called).toEqual([]);
    expect(ctx).toEqual({ log: [] });
  });

  it('K11 a plan emits no run events to global observers', () => {
    const rec = recorder();
    const unsubscribe = addObserver(rec.observer);
    try {
      const p = new Pipeline<Ctx>('quiet', ['a']);
      p.onStep('a', () => {});
      p.plan({ log: [] });
    } finally {
      unsubscribe();
    }
    expect(rec.events).toEqual([]);
  });

  it('K11 skip predicates see the context as given (no data flow is simulated)', () => {
    const p = new Pipeline<Ctx>('no-flow', ['set_email', 'mail']);
    p.onStep('set_email', (ctx) => {
      ctx.email = 'x@y.z';
    });
    p.onStep('mail', () => {}).skipIf('mail', (ctx) => !ctx.email, 'no email');

    expect(p.plan({ log: [] }).map((e) => e.action)).toEqual(['run', 'skip']);
    expect(p.plan({ log: [], email: 'a@b.c' }).map((e) => e.action)).toEqual(['run', 'run']);
  });

  it("K11 with an aborted signal every step is planned as 'cancelled'", () => {
    const controller = new AbortController();
    controller.abort();
    const p = new Pipeline<Ctx>('cancelled-plan', ['a', 'b', 'c']);
    p.onStep('a', () => {});
    p.onStep('b', () => {}).skipIf('b', () => true, 'skipped anyway');
    p.optional('c');

    const plan = p.plan({ log: [] }, { signal: controller.signal });

    expect(plan.map((e) => [e.step, e.action])).toEqual([
      ['a', 'cancelled'],
      ['b', 'cancelled'],
      ['c', 'cancelled'],
    ]);
  });

  it('K11 plan does not validate: an unfinalized conditional step is reported, not thrown', () => {
    const p = new Pipeline<Ctx>('reports', ['a', 'route']);
    p.onStep('a', () => {});
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runHandler(() => {}); // not finalized

    let plan: ReturnType<typeof p.plan> = [];
    expect(() => {
      plan = p.plan({ log: [] });
    }).not.toThrow();
    expect(plan.map((e) => [e.step, e.action])).toEqual([
      ['a', 'run'],
      ['route', 'fail'],
    ]);
  });

  it("K11 'run' entries carry no reason", () => {
    const p = new Pipeline<Ctx>('no-reason', ['a']);
    p.onStep('a', () => {});

    expect(p.plan({ log: [] })[0]!.reason).toBeUndefined();
  });
});
