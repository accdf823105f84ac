import { describe, it, expect } from '@jest/globals';
import { Pipeline } from '../src/index.js';
import { recorder, trail } from './helpers.js';

interface Ctx {
  log: string[];
  email?: string;
  vip?: boolean;
}

describe('K5 optional steps', () => {
  it('K5 an optional step without handlers is skipped and its record says why', async () => {
    const p = new Pipeline<Ctx>('opt', ['a', 'extra', 'b']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });
    p.optional('extra');

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['a', 'b']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'completed'],
      ['extra', 'skipped'],
      ['b', 'completed'],
    ]);
    expect(result.steps[1]).toMatchObject({
      step: 'extra',
      status: 'skipped',
      reason: 'optional step without handlers',
      attempts: 0,
    });
    expect(typeof result.steps[1]!.durationMs).toBe('number');
  });

  it('K5 an optional step with handlers runs them normally', async () => {
    const p = new Pipeline<Ctx>('opt-with-handlers', ['extra']);
    p.optional('extra').onStep('extra', (ctx) => {
      ctx.log.push('extra');
    });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['extra']);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'extra', status: 'completed' })]);
  });

  it('K5 optional does not swallow errors: a throwing optional step still fails the run', async () => {
    const boom = new Error('optional but broken');
    const p = new Pipeline<Ctx>('opt-throws', ['extra', 'after']);
    const ctx: Ctx = { log: [] };
    p.optional('extra').onStep('extra', () => {
      throw boom;
    });
    p.onStep('after', (c) => {
      c.log.push('after');
    });

    await expect(p.run(ctx)).rejects.toBe(boom);
    expect(ctx.log).toEqual([]);
  });

  it('K5 an optional step skipped for lack of handlers emits only step.skipped with the reason', async () => {
    const p = new Pipeline<Ctx>('opt-events', ['extra']);
    p.optional('extra');
    const rec = recorder();

    await p.run({ log: [] }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual(['run.started', 'step.skipped:extra', 'run.finished']);
    expect(rec.events.find((e) => e.type === 'step.skipped')?.reason).toBe('optional step without handlers');
  });
});

describe('K5 skipIf', () => {
  it('K5 a true skipIf runs none of the phases, and the record carries the label as reason', async () => {
    const p = new Pipeline<Ctx>('skip', ['a', 'mail', 'b']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.beforeStep('mail', (ctx) => {
      ctx.log.push('mail.before');
    })
      .onStep('mail', (ctx) => {
        ctx.log.push('mail.on');
      })
      .afterStep('mail', (ctx) => {
        ctx.log.push('mail.after');
      })
      .skipIf('mail', (ctx) => !ctx.email, 'no email');
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['a', 'b']);
    expect(result.steps[1]).toMatchObject({
      step: 'mail',
      status: 'skipped',
      reason: 'no email',
      attempts: 0,
    });
  });

  it("K5 without a label the skip reason is 'skip condition'", async () => {
    const p = new Pipeline<Ctx>('skip-nolabel', ['s']);
    p.onStep('s', (ctx) => {
      ctx.log.push('s');
    }).skipIf('s', () => true);

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual([]);
    expect(result.steps).toEqual([
      expect.objectContaining({ step: 's', status: 'skipped', reason: 'skip condition' }),
    ]);
  });

  it('K5 a false skipIf lets the step run', async () => {
    const p = new Pipeline<Ctx>('skip-false', ['mail']);
    p.onStep('mail', (ctx) => {
      ctx.log.push('mail');
    }).skipIf('mail', (ctx) => !ctx.email, 'no email');

    const result = await p.run({ log: [], email: 'a@b.c' });

    expect(result.context.log).toEqual(['mail']);
    expect(result.steps[0]).toMatchObject({ step: 'mail', status: 'completed' });
  });

  it('K5 skipIf is checked just before the step and sees the context as earlier steps left it', async () => {
    const p = new Pipeline<Ctx>('skip-live', ['promote', 'upsell']);
    const seenVip: Array<boolean | undefined> = [];
    p.onStep('promote', (ctx) => {
      ctx.log.push('promote');
      ctx.vip = true;
    });
    p.onStep('upsell', (ctx) => {
      ctx.log.push('upsell');
    });
    p.skipIf(
      'upsell',
      (ctx) => {
        seenVip.push(ctx.vip);
        ctx.log.push('predicate');
        return ctx.vip === true;
      },
      'already vip',
    );

    const result = await p.run({ log: [] });

    expect(seenVip).toEqual([true]);
    expect(result.context.log).toEqual(['promote', 'predicate']);
    expect(result.steps[1]).toMatchObject({ step: 'upsell', status: 'skipped', reason: 'already vip' });
  });

  it('K5 the predicate is evaluated once per run, after the previous step and before any phase of its step', async () => {
    const p = new Pipeline<Ctx>('skip-timing', ['a', 'b']);
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after');
    });
    p.beforeStep('b', (ctx) => {
      ctx.log.push('b.before');
    });
    p.skipIf('b', (ctx) => {
      ctx.log.push('pred');
      return false;
    });

    const { context } = await p.run({ log: [] });

    expect(context.log).toEqual(['a.after', 'pred', 'b.before']);
  });

  it('K5 a later skipIf replaces the earlier one (predicate and label)', async () => {
    const p = new Pipeline<Ctx>('skip-replace', ['s']);
    const calls: string[] = [];
    p.onStep('s', (ctx) => {
      ctx.log.push('s');
    });
    p.skipIf(
      's',
      () => {
        calls.push('first');
        return false;
      },
      'first label',
    );
    p.skipIf(
      's',
      () => {
        calls.push('second');
        return true;
      },
      'second label',
    );

    const result = await p.run({ log: [] });

    expect(calls).toEqual(['second']);
    expect(result.context.log).toEqual([]);
    expect(result.steps[0]).toMatchObject({ status: 'skipped', reason: 'second label' });
  });

  it('K5 a later skipIf that returns false re-enables the step', async () => {
    const p = new Pipeline<Ctx>('skip-reenable', ['s']);
    p.onStep('s', (ctx) => {
      ctx.log.push('s');
    });
    p.skipIf('s', () => true, 'off');
    p.skipIf('s', () => false);

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['s']);
  });

  it('K5 a skipped step emits only step.skipped (no step.started, no step.completed) with the reason', async () => {
    const p = new Pipeline<Ctx>('skip-events', ['a', 'b']);
    p.onStep('a', () => {}).skipIf('a', () => true, 'not today');
    p.onStep('b', () => {});
    const rec = recorder();

    await p.run({ log: [] }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual([
      'run.started',
      'step.skipped:a',
      'step.started:b',
      'step.completed:b',
      'run.finished',
    ]);
    expect(rec.events.find((e) => e.type === 'step.skipped')?.reason).toBe('not today');
  });

  it('K5 a skipIf on a conditional step skips its conditions too', async () => {
    const p = new Pipeline<Ctx>('skip-conditional', ['route']);
    const evaluated: string[] = [];
    p.conditionalStep('route')
      .ifCondition(() => {
        evaluated.push('cond');
        return true;
      })
      .runHandler((ctx) => {
        ctx.log.push('branch');
      })
      .finalize();
    p.skipIf('route', () => true, 'no routing');

    const result = await p.run({ log: [] });

    expect(evaluated).toEqual([]);
    expect(result.context.log).toEqual([]);
    expect(result.steps[0]).toMatchObject({ step: 'route', status: 'skipped', reason: 'no routing' });
  });
});
