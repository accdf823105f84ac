import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, runFailure } from '../src/index.js';
import type { StepRun } from '../src/index.js';
import { deferred, recorder, rejectionOf, trail } from './helpers.js';

interface Parent {
  log: string[];
  userId?: string;
  quota?: number;
}

interface Account {
  userId: string;
  quota?: number;
  log?: string[];
}

interface Seen {
  runId: string;
  parentRunId: string | undefined;
  rootRunId: string | undefined;
  pipeline: string;
  step: string;
}

function see(run: StepRun): Seen {
  return {
    runId: run.runId,
    parentRunId: run.parentRunId,
    rootRunId: run.rootRunId,
    pipeline: run.pipeline,
    step: run.step,
  };
}

describe('K7 a sub-run is a full run linked to its parent', () => {
  it('K7 a branch sub-run has its own runId and the parent runId as parentRunId', async () => {
    const seen: Seen[] = [];
    const sub = new Pipeline<Account>('provision', ['allocate']);
    sub.onStep('allocate', (acc, run) => {
      seen.push(see(run));
      acc.quota = 10;
    });
    const p = new Pipeline<Parent>('signup', ['create', 'provision']);
    p.onStep('create', (ctx, run) => {
      seen.push(see(run));
      ctx.userId = 'u1';
    });
    p.conditionalStep('provision')
      .ifCondition(() => true)
      .runSubPipeline(
        sub,
        (ctx) => ({ userId: ctx.userId! }),
        (ctx, acc) => {
          ctx.quota = acc.quota;
        },
      )
      .finalize();

    const result = await p.run({ log: [] }, { runId: 'parent-1' });

    expect(result.context.quota).toBe(10);
    expect(seen[0]).toMatchObject({ runId: 'parent-1', pipeline: 'signup', step: 'create' });
    expect(seen[0]!.parentRunId).toBeUndefined();
    expect(seen[1]).toMatchObject({
      parentRunId: 'parent-1',
      rootRunId: 'parent-1',
      pipeline: 'provision',
      step: 'allocate',
    });
    expect(typeof seen[1]!.runId).toBe('string');
    expect(seen[1]!.runId).not.toBe('parent-1');
  });

  it('K7 run.subPipeline(sub, input) is a full run resolving to the sub-run RunResult with its own runId', async () => {
    const seen: Seen[] = [];
    const sub = new Pipeline<Account>('provision', ['allocate', 'activate']);
    sub.onStep('allocate', (acc, run) => {
      seen.push(see(run));
      acc.quota = 5;
    });
    sub.onStep('activate', (acc) => {
      acc.log = ['activated'];
    });
    const results: Array<{
      runId: string;
      pipeline: string;
      outcome: string;
      context: Account;
      steps: Array<{ step: string; status: string }>;
    }> = [];
    const p = new Pipeline<Parent>('signup', ['provision']);
    p.onStep('provision', async (ctx, run) => {
      const r = await run.subPipeline(sub, { userId: 'u7' });
      results.push(r as unknown as (typeof results)[number]);
      ctx.quota = 5;
    });

    const parent = await p.run({ log: [] }, { runId: 'root-7' });

    expect(parent.outcome).toBe('completed');
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.pipeline).toBe('provision');
    expect(r.outcome).toBe('completed');
    expect(r.context).toMatchObject({ userId: 'u7', quota: 5, log: ['activated'] });
    expect(r.steps.map((s) => [s.step, s.status])).toEqual([
      ['allocate', 'completed'],
      ['activate', 'completed'],
    ]);
    expect(r.runId).not.toBe('root-7');
    expect(seen).toEqual([
      { runId: r.runId, parentRunId: 'root-7', rootRunId: 'root-7', pipeline: 'provision', step: 'allocate' },
    ]);
  });

  it('K7 nested sub-runs link each run to its direct parent, and rootRunId to the outermost run', async () => {
    const seen: Seen[] = [];
    const grandchild = new Pipeline<Parent>('grandchild', ['g']);
    grandchild.onStep('g', (_c, run) => {
      seen.push(see(run));
    });
    const child = new Pipeline<Parent>('child', ['c']);
    child.onStep('c', async (ctx, run) => {
      seen.push(see(run));
      await run.subPipeline(grandchild, ctx);
    });
    const root = new Pipeline<Parent>('root', ['r']);
    root.onStep('r', async (ctx, run) => {
      seen.push(see(run));
      await run.subPipeline(child, ctx);
    });

    await root.run({ log: [] }, { runId: 'R' });

    expect(seen.map((s) => s.pipeline)).toEqual(['root', 'child', 'grandchild']);
    const [r, c, g] = seen as [Seen, Seen, Seen];
    expect(r.runId).toBe('R');
    expect(c.parentRunId).toBe('R');
    expect(g.parentRunId).toBe(c.runId);
    expect(c.rootRunId).toBe('R');
    expect(g.rootRunId).toBe('R');
    expect(new Set([r.runId, c.runId, g.runId]).size).toBe(3);
  });

  it("K7 sub-run events reach the parent's observer with their own runId and the parent's runId as parentRunId", async () => {
    const sub = new Pipeline<Account>('provision', ['allocate']);
    sub.onStep('allocate', () => {});
    const p = new Pipeline<Parent>('signup', ['create', 'provision', 'notify']);
    p.onStep('create', (ctx) => {
      ctx.userId = 'u1';
    });
    p.conditionalStep('provision')
      .ifCondition(() => true)
      .runSubPipeline(sub, (ctx) => ({ userId: ctx.userId! }))
      .finalize();
    p.onStep('notify', () => {});
    const rec = recorder();

    await p.run({ log: [] }, { runId: 'P', observer: rec.observer });

    const subEvents = rec.events.filter((e) => e.pipeline === 'provision');
    expect(subEvents.map((e) => e.type)).toEqual([
      'run.started',
      'step.started',
      'step.completed',
      'run.finished',
    ]);
    const subRunId = subEvents[0]!.runId;
    expect(subRunId).not.toBe('P');
    for (const e of subEvents) {
      expect(e.runId).toBe(subRunId);
      expect(e.parentRunId).toBe('P');
    }
    for (const e of rec.events.filter((x) => x.pipeline === 'signup')) {
      expect(e.runId).toBe('P');
      expect(e.parentRunId).toBeUndefined();
    }
    // the sub-run's events sit between the parent step's branch.matched and step.completed
    expect(trail(rec.events)).toEqual([
      'run.started',
      'step.started:create',
      'step.completed:create',
      'step.started:provision',
      'branch.matched:provision',
      'run.started',
      'step.started:allocate',
      'step.completed:allocate',
      'run.finished',
      'step.completed:provision',
      'step.started:notify',
      'step.completed:notify',
      'run.finished',
    ]);
  });

  it("K7 a sub-run shares the parent's cancellation: aborting the parent aborts the sub-run's signal", async () => {
    const controller = new AbortController();
    const gate = deferred();
    const entered = deferred();
    const observed: boolean[] = [];
    const log: string[] = [];
    const sub = new Pipeline<Account>('slow-sub', ['wait', 'after_wait']);
    sub.onStep('wait', async (_acc, run) => {
      observed.push(run.signal.aborted);
      entered.resolve();
      await gate.promise;
      observed.push(run.signal.aborted);
    });
    sub.onStep('after_wait', () => {
      log.push('sub after_wait');
    });
    const p = new Pipeline<Parent>('parent', ['call', 'next']);
    p.onStep('call', async (ctx, run) => {
      await run.subPipeline(sub, { userId: 'u' });
    });
    p.onStep('next', () => {
      log.push('parent next');
    });

    const running = p.run({ log: [] }, { signal: controller.signal });
    await entered.promise;
    controller.abort(new Error('user went away'));
    gate.resolve();
    const result = await running;

    expect(observed).toEqual([false, true]);
    expect(log).toEqual([]);
    expect(result.outcome).toBe('cancelled');
  });

  it("K7 a branch sub-run shares the parent's cancellation too; a cancelled sub-run is not merged and the parent ends cancelled", async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const merges: string[] = [];
    const sub = new Pipeline<Account>('branch-sub', ['first', 'second']);
    sub.onStep('first', (_acc, run) => {
      log.push(`first aborted=${run.signal.aborted}`);
      controller.abort();
      log.push(`first aborted=${run.signal.aborted}`);
    });
    sub.onStep('second', () => {
      log.push('second');
    });
    const p = new Pipeline<Parent>('parent', ['route', 'next']);
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runSubPipeline(
        sub,
        () => ({ userId: 'u' }),
        () => {
          merges.push('merge');
        },
      )
      .finalize();
    p.onStep('next', () => {
      log.push('next');
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(log).toEqual(['first aborted=false', 'first aborted=true']);
    expect(merges).toEqual([]);
    expect(result.outcome).toBe('cancelled');
  });

  it('K7 a sub-run started with run.subPipeline that ends stopped stops the parent when the handler returns its result', async () => {
    const sub = new Pipeline<Account>('gate', ['check']);
    sub.onStep('check', () => Stop);
    const log: string[] = [];
    const p = new Pipeline<Parent>('parent', ['call', 'next']);
    p.onStep('call', (_ctx, run) => run.subPipeline(sub, { userId: 'u' }));
    p.onStep('call', () => {
      log.push('second on handler');
    });
    p.afterStep('call', () => {
      log.push('after');
    });
    p.onStep('next', () => {
      log.push('next');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(log).toEqual([]);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'call', status: 'stopped' })]);
  });

  it('K7 a sub-run that ends stopped stops the parent once the handler settles, even if the handler only awaited it', async () => {
    const sub = new Pipeline<Account>('gate', ['check']);
    sub.onStep('check', () => Stop);
    const log: string[] = [];
    const p = new Pipeline<Parent>('parent', ['call', 'next']);
    p.onStep('call', async (_ctx, run) => {
      const r = await run.subPipeline(sub, { userId: 'u' });
      log.push(`handler saw ${r.outcome}`);
    });
    p.afterStep('call', () => {
      log.push('after');
    });
    p.onStep('next', () => {
      log.push('next');
    });

    const result = await p.run({ log: [] });

    expect(log).toEqual(['handler saw stopped']);
    expect(result.outcome).toBe('stopped');
    expect(result.steps).toEqual([expect.objectContaining({ step: 'call', status: 'stopped' })]);
  });

  it('K7 an error thrown in a sub-run reaches the caller unchanged; runFailure names the innermost step and the root run', async () => {
    class QuotaExceeded extends Error {}
    const boom = new QuotaExceeded('too many');
    let subRunId = '';
    const sub = new Pipeline<Account>('provision', ['reserve', 'allocate']);
    sub.onStep('reserve', (_acc, run) => {
      subRunId = run.runId;
    });
    sub.onStep('allocate', () => {
      throw boom;
    });
    const p = new Pipeline<Parent>('signup', ['create', 'provision', 'notify']);
    p.onStep('create', () => {});
    p.onStep('provision', async (_ctx, run) => {
      await run.subPipeline(sub, { userId: 'u' });
    });
    p.onStep('notify', () => {});

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'ROOT' }));

    expect(err).toBe(boom);
    const failure = runFailure(err);
    expect(failure).toMatchObject({
      pipeline: 'provision',
      step: 'allocate',
      runId: subRunId,
      rootRunId: 'ROOT',
    });
    expect(subRunId).not.toBe('');
    expect(failure!.steps.map((r) => [r.step, r.status])).toEqual([
      ['create', 'completed'],
      ['provision', 'failed'],
    ]);
  });

  it('K7 runFailure of an error from a branch sub-run also names the innermost pipeline and step', async () => {
    const boom = new Error('sub broke');
    const sub = new Pipeline<Account>('premium', ['setup']);
    sub.onStep('setup', () => {
      throw boom;
    });
    const p = new Pipeline<Parent>('signup', ['route']);
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runSubPipeline(sub, () => ({ userId: 'u' }))
      .finalize();

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'ROOT2' }));

    expect(err).toBe(boom);
    expect(runFailure(err)).toMatchObject({ pipeline: 'premium', step: 'setup', rootRunId: 'ROOT2' });
    expect(runFailure(err)!.runId).not.toBe('ROOT2');
  });

  it('K7 a sub-run runs its own finishers and releases its own resources before the parent continues', async () => {
    const log: string[] = [];
    const sub = new Pipeline<Account>('child', ['work']);
    sub.onStep('work', (_acc, run) => {
      run.resources.add({
        close: () => {
          log.push('child resource closed');
        },
      });
    });
    sub.onFinish((_acc, outcome) => {
      log.push(`child finished ${outcome.status}`);
    });
    const p = new Pipeline<Parent>('parent', ['call', 'next']);
    p.onStep('call', async (_ctx, run) => {
      await run.subPipeline(sub, { userId: 'u' });
      log.push('parent handler resumed');
    });
    p.onStep('next', () => {
      log.push('parent next');
    });
    p.onFinish(() => {
      log.push('parent finished');
    });

    await p.run({ log: [] });

    expect(log).toEqual([
      'child finished completed',
      'child resource closed',
      'parent handler resumed',
      'parent next',
      'parent finished',
    ]);
  });

  it('K7 run ids are distinct random version 4 UUIDs, across the batches they are drawn in', async () => {
    const ids: string[] = [];
    const sub = new Pipeline<Account>('provision', ['allocate']);
    sub.onStep('allocate', (_acc, run) => {
      ids.push(run.runId);
    });
    const parent = new Pipeline<Parent>('signup', ['create']);
    parent.onStep('create', (ctx, run) => run.subPipeline(sub, { userId: 'u' }).then(() => undefined));
    // Ids are drawn 64 at a time: 150 runs of two ids each span several draws.
    for (let i = 0; i < 150; i++) ids.push((await parent.run({ log: [] })).runId);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Random, not counted: no two ids share their first 8 hex digits (a collision is a 1 in ~10^5 chance).
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(300);
  });
});
