import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop } from '../src/index.js';
import type { RunOutcome } from '../src/index.js';
import { rejectionOf, sleep } from './helpers.js';

interface Ctx {
  log: string[];
}

function withFinisher(
  name: string,
  handler: (ctx: Ctx) => typeof Stop | undefined,
): { p: Pipeline<Ctx>; outcomes: RunOutcome[]; ctxs: Ctx[] } {
  const p = new Pipeline<Ctx>(name, ['a', 'b']);
  const outcomes: RunOutcome[] = [];
  const ctxs: Ctx[] = [];
  p.onStep('a', (ctx) => {
    ctx.log.push('a');
    return handler(ctx);
  });
  p.onStep('b', (ctx) => {
    ctx.log.push('b');
  });
  p.onFinish((ctx, outcome) => {
    ctx.log.push('finish');
    ctxs.push(ctx);
    outcomes.push(outcome);
  });
  return { p, outcomes, ctxs };
}

describe('K8 onFinish runs on every exit', () => {
  it('K8 on a completed run the finisher gets the context and outcome completed, after the last step', async () => {
    const { p, outcomes, ctxs } = withFinisher('done', () => undefined);
    const ctx: Ctx = { log: [] };

    const result = await p.run(ctx, { runId: 'fin-1' });

    expect(result.context.log).toEqual(['a', 'b', 'finish']);
    expect(ctxs).toEqual([ctx]);
    expect(ctxs[0]).toBe(ctx);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'completed', runId: 'fin-1', pipeline: 'done' });
    expect(outcomes[0]!.error).toBeUndefined();
  });

  it('K8 on a stopped run the finisher sees status stopped', async () => {
    const { p, outcomes } = withFinisher('stopped', () => Stop);

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['a', 'finish']);
    expect(outcomes.map((o) => o.status)).toEqual(['stopped']);
  });

  it('K8 on a failed run the finisher sees status failed and the error', async () => {
    const boom = new Error('step a failed');
    const { p, outcomes } = withFinisher('failed', () => {
      throw boom;
    });
    const ctx: Ctx = { log: [] };

    await expect(p.run(ctx, { runId: 'fin-3' })).rejects.toBe(boom);

    expect(ctx.log).toEqual(['a', 'finish']);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: boom, runId: 'fin-3', pipeline: 'failed' });
  });

  it("K8 on a cancelled run the finisher sees status cancelled and the signal's reason as error", async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const { p, outcomes } = withFinisher('cancelled', () => {
      controller.abort(reason);
      return undefined;
    });
    const ctx: Ctx = { log: [] };

    const result = await p.run(ctx, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(ctx.log).toEqual(['a', 'finish']);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'cancelled', error: reason });
  });

  it('K8 several finishers run in registration order, and async ones are awaited one after another', async () => {
    const p = new Pipeline<Ctx>('order', ['a']);
    p.onStep('a', () => {});
    p.onFinish(async (ctx) => {
      await sleep(3);
      ctx.log.push('f1');
    });
    p.onFinish((ctx) => {
      ctx.log.push('f2');
    });
    p.onFinish(async (ctx) => {
      await sleep(1);
      ctx.log.push('f3');
    });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['f1', 'f2', 'f3']);
  });

  it('K8 run resolves only after the finishers have settled', async () => {
    const p = new Pipeline<Ctx>('awaited', ['a']);
    let finished = false;
    p.onStep('a', () => {});
    p.onFinish(async () => {
      await sleep(3);
      finished = true;
    });

    await p.run({ log: [] });

    expect(finished).toBe(true);
  });

  it('K8 all finishers run even if one throws', async () => {
    const p = new Pipeline<Ctx>('all-run', ['a']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', () => {});
    p.onFinish((c) => {
      c.log.push('f1');
      throw new Error('f1 broke');
    });
    p.onFinish(async (c) => {
      c.log.push('f2');
      throw new Error('f2 broke');
    });
    p.onFinish((c) => {
      c.log.push('f3');
    });

    await rejectionOf(p.run(ctx));

    expect(ctx.log).toEqual(['f1', 'f2', 'f3']);
  });

  it('K8 on a successful run the first finisher error fails the run', async () => {
    const first = new Error('first finisher error');
    const second = new Error('second finisher error');
    const p = new Pipeline<Ctx>('finisher-fails', ['a']);
    p.onStep('a', () => {});
    p.onFinish(() => {});
    p.onFinish(async () => {
      await sleep(1);
      throw first;
    });
    p.onFinish(() => {
      throw second;
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBe(first);
  });

  it('K8 on a failed run the original error wins over finisher errors', async () => {
    const original = new Error('original');
    const p = new Pipeline<Ctx>('original-wins', ['a']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', () => {
      throw original;
    });
    p.onFinish(() => {
      throw new Error('finisher error');
    });
    p.onFinish((c) => {
      c.log.push('second finisher ran');
    });

    const err = await rejectionOf(p.run(ctx));

    expect(err).toBe(original);
    expect(ctx.log).toEqual(['second finisher ran']);
  });

  it('K8 finishers run once per run, each run with its own outcome', async () => {
    const p = new Pipeline<Ctx & { stop?: boolean }>('per-run', ['a']);
    const statuses: string[] = [];
    p.onStep('a', (ctx) => (ctx.stop ? Stop : undefined));
    p.onFinish((_ctx, outcome) => {
      statuses.push(outcome.status);
    });

    await p.run({ log: [] });
    await p.run({ log: [], stop: true });

    expect(statuses).toEqual(['completed', 'stopped']);
  });
});
