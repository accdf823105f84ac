import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Pipeline, TraceCollector, type ActiveRun, type ContextOrigin, type EnterRun } from '../src/index.js';

// Hooks that framework integrations (the NestJS plugin) build on: `prepare` turns a run's input into
// its context, `resolvePipeline` maps a sub-run source that is not a pipeline (a class) to one.

interface Ctx {
  n: number;
  validated?: boolean;
}

describe('prepare and resolvePipeline (hooks for framework integrations)', () => {
  it('K7 prepare turns every run input into the context before any step, and tells where it comes from', async () => {
    const origins: ContextOrigin[] = [];
    const sub = new Pipeline<Ctx>('sub', ['double'], {
      prepare: (input, origin) => {
        origins.push(origin);
        return { ...(input as Ctx), validated: true };
      },
    });
    sub.onStep('double', (ctx) => {
      ctx.n *= 2;
    });
    const shared = new Pipeline<Ctx>('shared', ['noop'], {
      prepare: (input, origin) => {
        origins.push(origin);
        return input as Ctx;
      },
    });
    shared.onStep('noop', () => {});
    const parent = new Pipeline<Ctx>('parent', ['call', 'branch']);
    parent.onStep('call', async (ctx, run) => {
      const r = await run.subPipeline(sub, { n: ctx.n });
      expect(r.context).toEqual({ n: 2 * ctx.n, validated: true });
    });
    parent
      .conditionalStep('branch')
      .ifCondition(() => true)
      .runSubPipeline(shared)
      .finalize();

    const result = await parent.run({ n: 3 });
    expect(result.outcome).toBe('completed');
    expect(origins).toEqual([
      { parentRunId: result.runId, sharedWithParent: false },
      { parentRunId: result.runId, sharedWithParent: true },
    ]);
  });

  it('K3 a prepare that throws rejects the run before it starts: no step and no event', async () => {
    const trace = new TraceCollector();
    const p = new Pipeline<Ctx>('strict', ['a'], {
      prepare: async () => {
        throw new RangeError('n must be positive');
      },
    });
    let ran = false;
    p.onStep('a', () => {
      ran = true;
    });
    await expect(p.run({ n: -1 }, { observer: trace.observer })).rejects.toThrow(RangeError);
    expect(ran).toBe(false);
    expect(trace.events).toEqual([]);
  });

  it('K7 resolvePipeline maps a sub-run source that is not a pipeline, in sub-runs and fan-out alike', async () => {
    class DoubleToken {}
    const double = new Pipeline<Ctx>('double', ['x2']);
    double.onStep('x2', (ctx) => {
      ctx.n *= 2;
    });
    const inner = new Pipeline<Ctx>('inner', ['call']);
    inner.onStep('call', async (ctx, run) => {
      const r = await run.subPipeline(DoubleToken, { n: ctx.n });
      ctx.n = (r.context as Ctx).n;
    });
    const outer = new Pipeline<Ctx>('outer', ['nested', 'fan']);
    outer.onStep('nested', async (ctx, run) => {
      const r = await run.subPipeline(inner, { n: ctx.n });
      ctx.n = r.context.n;
    });
    outer.onStep('fan', async (ctx, run) => {
      const results = await run.fanOut(DoubleToken, [{ n: 1 }, { n: 5 }]);
      ctx.n += results.reduce((sum, r) => sum + (r.result!.context as Ctx).n, 0);
    });

    const resolvePipeline = (source: unknown) =>
      source === DoubleToken ? (double as Pipeline<unknown>) : undefined;
    const result = await outer.run({ n: 4 }, { resolvePipeline });
    expect(result.context.n).toBe(8 + 2 + 10);
  });

  it('K7 without a resolver a source that is not a pipeline rejects with a message naming the step', async () => {
    class NotAPipeline {}
    const p = new Pipeline<Ctx>('p', ['call']);
    p.onStep('call', async (ctx, run) => {
      await run.subPipeline(NotAPipeline, ctx);
    });
    await expect(p.run({ n: 1 })).rejects.toThrow(/Step "call" of pipeline "p".*not a pipeline/);
  });
});

describe('enterRun (a hook for framework integrations)', () => {
  it('K7 wraps each run of the tree once, sub-runs and fan-out items included, with the run it executes', async () => {
    const entered: string[] = [];
    const seen: string[] = [];
    let depth = 0;
    const enterRun: EnterRun = (run, execute) => {
      entered.push(run.pipeline);
      depth++;
      const result = execute();
      depth--;
      return result;
    };
    const item = new Pipeline<Ctx>('item', ['count']);
    item.onStep('count', (ctx) => {
      ctx.n++;
    });
    const sub = new Pipeline<Ctx>('sub', ['look']);
    sub.onStep('look', (_ctx, run) => {
      seen.push(`${run.pipeline}/${run.step} depth ${depth}`);
    });
    const parent = new Pipeline<Ctx>('parent', ['first', 'branch', 'spread']);
    let active: ActiveRun | undefined;
    parent.onStep('first', (_ctx, run) => {
      seen.push(`${run.pipeline}/${run.step} depth ${depth}`);
    });
    parent
      .conditionalStep('branch')
      .ifCondition(() => true)
      .runSubPipeline(sub)
      .finalize();
    parent.onStep('spread', async (_ctx, run) => {
      await run.fanOut(item, [{ n: 1 }, { n: 2 }]);
    });
    const probe = new Pipeline<Ctx>('probe', ['one', 'two']);
    const at: string[] = [];
    probe.onStep('one', (_ctx, run) => {
      at.push(`${active!.step} ${active!.isAt(run)}`);
    });
    probe.onStep('two', (ctx, run) => {
      at.push(`${active!.step} ${active!.isAt(run)} ${active!.context === ctx}`);
    });

    await parent.run({ n: 0 }, { enterRun });
    expect(entered).toEqual(['parent', 'sub', 'item', 'item']);
    expect(seen).toEqual(['parent/first depth 1', 'sub/look depth 2']);

    await probe.run({ n: 0 }, { enterRun: (run, execute) => ((active = run), execute()) });
    expect(at).toEqual(['one true', 'two true true']);
  });

  it('K7 ActiveRun.isAt is false for a step of another run, and in a run whose steps run side by side', async () => {
    let outer: ActiveRun | undefined;
    const answers: boolean[] = [];
    const sub = new Pipeline<Ctx>('sub', ['inner']);
    sub.onStep('inner', (_ctx, run) => {
      answers.push(outer!.isAt(run));
    });
    const graph = new Pipeline<Ctx>('graph', ['a', 'b', 'c']);
    graph.onStep('a', (_ctx, run) => {
      answers.push(outer!.isAt(run));
      return run.subPipeline(sub, { n: 0 }).then(() => undefined);
    });
    graph.onStep('b', (_ctx, run) => {
      answers.push(outer!.isAt(run));
    });
    graph.onStep('c', () => {});
    graph.stepOptions('b', { after: [] });
    await graph.run({ n: 0 }, { enterRun: (run, execute) => ((outer ??= run), execute()) });
    expect(answers).toEqual([false, false, false]);
  });
});

describe('the handlers signal', () => {
  it('K10 is one per run, so listeners that handlers leave on it do not pile up on a long-lived caller signal', async () => {
    const appWide = new AbortController();
    const p = new Pipeline<Ctx>('listeners', ['listen']);
    p.onStep('listen', (_ctx, run) => {
      run.signal.addEventListener('abort', () => undefined);
    });
    for (let i = 0; i < 20; i++) await p.run({ n: i }, { signal: appWide.signal });
    expect(EventEmitter.getEventListeners(appWide.signal, 'abort')).toHaveLength(0);
  });

  it('K10 aborts with the caller signal and the same reason while the run is in progress', async () => {
    const appWide = new AbortController();
    const reason = new Error('shutting down');
    const seen: unknown[] = [];
    const p = new Pipeline<Ctx>('aborted', ['wait', 'never']);
    p.onStep('wait', async (_ctx, run) => {
      appWide.abort(reason);
      seen.push(run.signal.aborted, run.signal.reason);
    });
    p.onStep('never', () => {
      seen.push('never');
    });
    const result = await p.run({ n: 1 }, { signal: appWide.signal });
    expect(seen).toEqual([true, reason]);
    expect(result.outcome).toBe('cancelled');
  });
});
