import { describe, it, expect } from '@jest/globals';
import { Pipeline, Continue } from '../src/index.js';
import { sleep } from './helpers.js';

interface Ctx {
  log: string[];
}

describe('K1 order of steps and phases', () => {
  it('K1 steps run in declared order, not in registration order', async () => {
    const p = new Pipeline<Ctx>('order', ['a', 'b', 'c']);
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['a', 'b', 'c']);
    expect(result.outcome).toBe('completed');
  });

  it('K1 within a step the phases run before, then on, then after, whatever the registration order', async () => {
    const p = new Pipeline<Ctx>('phases', ['only']);
    p.afterStep('only', (ctx) => {
      ctx.log.push('after');
    });
    p.onStep('only', (ctx) => {
      ctx.log.push('on');
    });
    p.beforeStep('only', (ctx) => {
      ctx.log.push('before');
    });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['before', 'on', 'after']);
  });

  it('K1 all phases of one step finish before the next step starts', async () => {
    const p = new Pipeline<Ctx>('phases-steps', ['a', 'b']);
    p.beforeStep('a', (ctx) => {
      ctx.log.push('a.before');
    })
      .onStep('a', (ctx) => {
        ctx.log.push('a.on');
      })
      .afterStep('a', async (ctx) => {
        await sleep(2);
        ctx.log.push('a.after');
      })
      .beforeStep('b', (ctx) => {
        ctx.log.push('b.before');
      })
      .onStep('b', (ctx) => {
        ctx.log.push('b.on');
      })
      .afterStep('b', (ctx) => {
        ctx.log.push('b.after');
      });

    const { context } = await p.run({ log: [] });

    expect(context.log).toEqual(['a.before', 'a.on', 'a.after', 'b.before', 'b.on', 'b.after']);
  });

  it('K1 several handlers of one phase run in registration order', async () => {
    const p = new Pipeline<Ctx>('many', ['s']);
    for (const n of [1, 2, 3, 4])
      p.onStep('s', (ctx) => {
        ctx.log.push(`on${n}`);
      });
    for (const n of [1, 2])
      p.beforeStep('s', (ctx) => {
        ctx.log.push(`before${n}`);
      });
    for (const n of [1, 2])
      p.afterStep('s', (ctx) => {
        ctx.log.push(`after${n}`);
      });

    const { context } = await p.run({ log: [] });

    expect(context.log).toEqual(['before1', 'before2', 'on1', 'on2', 'on3', 'on4', 'after1', 'after2']);
  });

  it('K1 handlers of one phase run one at a time: the next starts only after the previous settled', async () => {
    const p = new Pipeline<Ctx>('serial', ['s']);
    let running = 0;
    let peak = 0;
    const slow = (label: string, ms: number) => async (ctx: Ctx) => {
      running++;
      peak = Math.max(peak, running);
      ctx.log.push(`${label}:start`);
      await sleep(ms);
      ctx.log.push(`${label}:end`);
      running--;
    };
    p.onStep('s', slow('first', 8)).onStep('s', slow('second', 1)).onStep('s', slow('third', 0));

    const { context } = await p.run({ log: [] });

    expect(peak).toBe(1);
    expect(context.log).toEqual([
      'first:start',
      'first:end',
      'second:start',
      'second:end',
      'third:start',
      'third:end',
    ]);
  });

  it('K1 every handler gets the same live context object, and run() returns it', async () => {
    const ctx: Ctx = { log: [] };
    const seen: Ctx[] = [];
    const p = new Pipeline<Ctx>('same-ctx', ['a', 'b']);
    p.onStep('a', (c) => {
      seen.push(c);
    });
    p.beforeStep('b', (c) => {
      seen.push(c);
    }).onStep('b', (c) => {
      seen.push(c);
    });

    const result = await p.run(ctx);

    expect(seen).toHaveLength(3);
    for (const c of seen) expect(c).toBe(ctx);
    expect(result.context).toBe(ctx);
  });

  it('K1 returning Continue explicitly behaves like returning nothing', async () => {
    const p = new Pipeline<Ctx>('continue', ['a', 'b']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
      return Continue;
    });
    p.onStep('b', async (ctx) => {
      ctx.log.push('b');
      return Continue;
    });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['a', 'b']);
    expect(result.outcome).toBe('completed');
  });

  it('K1 the result has one record per step in execution order, with step names, status, attempts and duration', async () => {
    const p = new Pipeline<Ctx>('records', ['a', 'b', 'c']);
    p.onStep('a', () => {})
      .onStep('b', async () => {
        await sleep(2);
      })
      .onStep('c', () => {});

    const result = await p.run({ log: [] }, { runId: 'run-k1' });

    expect(result.runId).toBe('run-k1');
    expect(result.pipeline).toBe('records');
    expect(typeof result.durationMs).toBe('number');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.steps.map((r) => r.step)).toEqual(['a', 'b', 'c']);
    for (const r of result.steps) {
      expect(r).toMatchObject({ status: 'completed', attempts: 1 });
      expect(typeof r.durationMs).toBe('number');
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(r.error).toBeUndefined();
    }
  });

  it('K1 a step record measures the time the step took', async () => {
    const p = new Pipeline<Ctx>('durations', ['quick', 'slow']);
    p.onStep('quick', () => {});
    p.beforeStep('slow', async () => {
      await sleep(6);
    }).onStep('slow', () => {});

    const result = await p.run({ log: [] });

    expect(result.steps[1]!.durationMs).toBeGreaterThanOrEqual(4);
    expect(result.durationMs).toBeGreaterThanOrEqual(result.steps[1]!.durationMs);
  });

  it('K1 concurrent runs of one pipeline keep their own context, records and order', async () => {
    const p = new Pipeline<Ctx & { id: string }>('concurrent', ['a', 'b']);
    p.onStep('a', async (ctx) => {
      await sleep(ctx.id === 'one' ? 5 : 1);
      ctx.log.push(`${ctx.id}:a`);
    });
    p.onStep('b', (ctx) => {
      ctx.log.push(`${ctx.id}:b`);
    });

    const [one, two] = await Promise.all([p.run({ log: [], id: 'one' }), p.run({ log: [], id: 'two' })]);

    expect(one.context.log).toEqual(['one:a', 'one:b']);
    expect(two.context.log).toEqual(['two:a', 'two:b']);
    expect(one.steps.map((r) => r.step)).toEqual(['a', 'b']);
    expect(two.steps.map((r) => r.step)).toEqual(['a', 'b']);
    expect(one.steps).not.toBe(two.steps);
    expect(one.runId).not.toBe(two.runId);
  });

  it('K1 a step that only has a before or an after handler is valid and runs it', async () => {
    const p = new Pipeline<Ctx>('only-after', ['a', 'b']);
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after');
    });
    p.beforeStep('b', (ctx) => {
      ctx.log.push('b.before');
    });

    expect(() => p.validate()).not.toThrow();
    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['a.after', 'b.before']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
    ]);
  });

  it('K1 each handler gets a StepRun naming the pipeline, the step and attempt 1, with a signal', async () => {
    const p = new Pipeline<Ctx>('steprun', ['first', 'second']);
    const seen: Array<{ pipeline: string; step: string; attempt: number; runId: string; aborted: boolean }> =
      [];
    const h = (
      _ctx: Ctx,
      run: { pipeline: string; step: string; attempt: number; runId: string; signal: AbortSignal },
    ) => {
      seen.push({
        pipeline: run.pipeline,
        step: run.step,
        attempt: run.attempt,
        runId: run.runId,
        aborted: run.signal.aborted,
      });
    };
    p.onStep('first', h).beforeStep('second', h);

    const result = await p.run({ log: [] });

    expect(seen).toEqual([
      { pipeline: 'steprun', step: 'first', attempt: 1, runId: result.runId, aborted: false },
      { pipeline: 'steprun', step: 'second', attempt: 1, runId: result.runId, aborted: false },
    ]);
  });

  it('K1 stepNames() lists the steps in order', () => {
    const p = new Pipeline<Ctx>('names', ['x', 'y', 'z']);
    expect(p.stepNames()).toEqual(['x', 'y', 'z']);
  });

  it('K1 insertBefore and insertAfter put a new step next to its anchor, and it runs there', async () => {
    const p = new Pipeline<Ctx>('insert', ['a', 'c']);
    p.insertBefore('a', 'start').insertAfter('a', 'b').insertAfter('c', 'end');
    expect(p.stepNames()).toEqual(['start', 'a', 'b', 'c', 'end']);
    for (const s of p.stepNames())
      p.onStep(s, (ctx) => {
        ctx.log.push(s);
      });

    const { context } = await p.run({ log: [] });

    expect(context.log).toEqual(['start', 'a', 'b', 'c', 'end']);
  });

  it('K1 removeStep removes the step and its handlers from the run', async () => {
    const p = new Pipeline<Ctx>('remove', ['a', 'b', 'c']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    })
      .beforeStep('b', (ctx) => {
        ctx.log.push('b.before');
      })
      .onStep('b', (ctx) => {
        ctx.log.push('b');
      })
      .onStep('c', (ctx) => {
        ctx.log.push('c');
      });

    p.removeStep('b');

    expect(p.stepNames()).toEqual(['a', 'c']);
    const result = await p.run({ log: [] });
    expect(result.context.log).toEqual(['a', 'c']);
    expect(result.steps.map((r) => r.step)).toEqual(['a', 'c']);
  });

  it('K1 builder methods are chainable and return the same pipeline', () => {
    const p = new Pipeline<Ctx>('chain', ['a', 'b']);
    expect(p.onStep('a', () => {})).toBe(p);
    expect(p.beforeStep('a', () => {})).toBe(p);
    expect(p.afterStep('a', () => {})).toBe(p);
    expect(p.optional('b')).toBe(p);
    expect(p.required('b')).toBe(p);
    expect(p.skipIf('b', () => false)).toBe(p);
    expect(p.onFinish(() => {})).toBe(p);
    expect(p.insertAfter('b', 'c')).toBe(p);
    expect(p.insertBefore('a', 'z')).toBe(p);
    expect(p.removeStep('z')).toBe(p);
  });

  it('K1 a pipeline can be run many times; each run gets its own runId', async () => {
    const p = new Pipeline<Ctx>('again', ['a']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });

    const r1 = await p.run({ log: [] });
    const r2 = await p.run({ log: [] });

    expect(r1.context.log).toEqual(['a']);
    expect(r2.context.log).toEqual(['a']);
    expect(typeof r1.runId).toBe('string');
    expect(r1.runId).not.toBe(r2.runId);
  });
});
