import { describe, it, expect } from '@jest/globals';
import { Pipeline, Continue, Stop } from '../src/index.js';
import { recorder, sleep, trail } from './helpers.js';

interface Ctx {
  log: string[];
}

function threeSteps(name: string): Pipeline<Ctx> {
  const p = new Pipeline<Ctx>(name, ['a', 'b', 'c']);
  for (const s of ['a', 'b', 'c']) {
    p.beforeStep(s, (ctx) => {
      ctx.log.push(`${s}.before`);
    });
    p.afterStep(s, (ctx) => {
      ctx.log.push(`${s}.after`);
    });
  }
  return p;
}

describe('K2 Continue and Stop', () => {
  it('K2 returning nothing or Continue goes on to the next handler, phase and step', async () => {
    const p = threeSteps('go-on');
    p.onStep('a', () => undefined);
    p.onStep('b', () => Continue);
    p.onStep('c', async () => Continue);

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['a.before', 'a.after', 'b.before', 'b.after', 'c.before', 'c.after']);
  });

  it('K2 Stop from an on handler ends the run at once with outcome stopped: no after phase, no later step', async () => {
    const p = threeSteps('stop-on');
    p.onStep('a', () => {});
    p.onStep('b', (ctx) => {
      ctx.log.push('b.on');
      return Stop;
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c.on');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['a.before', 'a.after', 'b.before', 'b.on']);
  });

  it('K2 Stop in the first of two on handlers means the second never runs', async () => {
    const p = new Pipeline<Ctx>('stop-first', ['s']);
    p.onStep('s', (ctx) => {
      ctx.log.push('on1');
      return Stop;
    });
    p.onStep('s', (ctx) => {
      ctx.log.push('on2');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['on1']);
  });

  it('K2 Stop in a before handler skips the on and after phases and all later steps', async () => {
    const p = new Pipeline<Ctx>('stop-before', ['a', 'b']);
    p.beforeStep('a', (ctx) => {
      ctx.log.push('a.before1');
      return Stop;
    });
    p.beforeStep('a', (ctx) => {
      ctx.log.push('a.before2');
    });
    p.onStep('a', (ctx) => {
      ctx.log.push('a.on');
    });
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b.on');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['a.before1']);
  });

  it('K2 Stop in an after handler stops before the next step', async () => {
    const p = new Pipeline<Ctx>('stop-after', ['a', 'b']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a.on');
    });
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after1');
      return Stop;
    });
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after2');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b.on');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['a.on', 'a.after1']);
  });

  it('K2 an async handler that resolves to Stop stops the run too', async () => {
    const p = new Pipeline<Ctx>('stop-async', ['a', 'b']);
    p.onStep('a', async () => {
      await sleep(1);
      return Stop;
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual([]);
  });

  it('K2 the stopping step has a record with status stopped, and steps never reached have none', async () => {
    const p = new Pipeline<Ctx>('stop-records', ['a', 'b', 'c', 'd']);
    p.onStep('a', () => {});
    p.onStep('b', () => Stop);
    p.onStep('c', () => {});
    p.onStep('d', () => {});

    const result = await p.run({ log: [] });

    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'stopped'],
    ]);
    expect(result.steps[1]).toMatchObject({ step: 'b', status: 'stopped', attempts: 1 });
  });

  it('K2 a step that stops emits step.stopped and no step.completed; run.finished says stopped', async () => {
    const p = new Pipeline<Ctx>('stop-events', ['a', 'b']);
    p.onStep('a', () => Stop);
    p.onStep('b', () => {});
    const rec = recorder();

    await p.run({ log: [] }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual(['run.started', 'step.started:a', 'step.stopped:a', 'run.finished']);
    const finished = rec.events.find((e) => e.type === 'run.finished');
    expect(finished?.outcome).toBe('stopped');
  });

  it('K2 Stop in the last step still gives outcome stopped, not completed', async () => {
    const p = new Pipeline<Ctx>('stop-last', ['a', 'b']);
    p.onStep('a', () => {});
    p.onStep('b', () => Stop);

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
  });

  it('K2 a RunResult returned by a handler that does not come from run.subPipeline in that step is ignored', async () => {
    const other = new Pipeline<Ctx>('other', ['x']);
    other.onStep('x', () => Stop);
    const stoppedElsewhere = await other.run({ log: [] });
    expect(stoppedElsewhere.outcome).toBe('stopped');

    const p = new Pipeline<Ctx>('ignores-foreign-result', ['a', 'b']);
    p.onStep('a', () => stoppedElsewhere);
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['b']);
  });
});
