import { describe, expect, it } from '@jest/globals';
import {
  DurableRunner,
  MemoryRunStore,
  OrkaConfigurationError,
  Pipeline,
  RunFinishedError,
  RunNotFoundError,
  SignalTimeoutError,
  type OrkaEvent,
  type PipelineRef,
  type RunStore,
} from '../../src/index.js';
import { storesUnderTest, until } from './wait-support.js';

interface Refund {
  amount: number;
  approvedBy?: string;
  log: string[];
}

/** A refund that waits for an approval between two steps. */
function refundPipeline(options: { timeoutMs?: number; onTimeout?: 'fail' | 'continue' } = {}) {
  const p = new Pipeline<Refund>('refund', ['check', 'approval', 'pay'], { version: '1' });
  p.onStep('check', (ctx) => void ctx.log.push('check'));
  p.awaitSignal<{ by: string }>('approval', 'approved', {
    ...options,
    merge: (ctx, payload) => void (ctx.approvedBy = payload.by),
  });
  p.onStep('approval', (ctx) => void ctx.log.push(`approval by ${ctx.approvedBy ?? 'nobody'}`));
  p.onStep('pay', (ctx) => void ctx.log.push('pay'));
  return p;
}

function runnerOn(store: RunStore, pipelines: readonly PipelineRef<unknown>[], events?: OrkaEvent[]) {
  return new DurableRunner({
    store,
    pipelines,
    pollMs: 10,
    ...(events && { observer: (e) => events.push(e) }),
  });
}

describe.each(storesUnderTest)('waits on %s', (_, makeStores) => {
  it('W1 D8 a run suspends at its wait, holding no lease, and goes on with the payload merged when the signal comes', async () => {
    const open = makeStores();
    const events: OrkaEvent[] = [];
    const p = refundPipeline();
    const durable = runnerOn(open(), [p], events);
    await durable.open();
    const { runId } = await durable.start(p, { amount: 10, log: [] });
    await until(async () => (await durable.get(runId))?.status === 'waiting');
    const waiting = (await durable.get(runId))!;
    expect(waiting.waiting).toEqual({ step: 'approval', signal: 'approved' });
    expect(waiting.owner).toBeUndefined();
    expect(waiting.steps.map((s) => s.step)).toEqual(['check']);
    await durable.signal(runId, 'approved', { by: 'ops' });
    const result = await durable.result<Refund>(runId);
    expect(result.context.log).toEqual(['check', 'approval by ops', 'pay']);
    expect(events.find((e) => e.type === 'run.suspended')).toMatchObject({
      step: 'approval',
      wait: { step: 'approval', signal: 'approved' },
    });
    expect(events.find((e) => e.type === 'run.resumed')).toMatchObject({ after: 'signal' });
    await durable.close();
  });

  it('W2 a signal sent before the run reaches its wait is kept and consumed there; each signal once; a repeated dedupe key is a no-op', async () => {
    const open = makeStores();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const p = new Pipeline<Refund>('two-approvals', ['first', 'hold', 'second'], { version: '1' });
    p.awaitSignal<{ by: string }>('first', 'approved', {
      merge: (ctx, s) => void ctx.log.push(`first ${s.by}`),
    });
    p.onStep('hold', () => held);
    p.awaitSignal<{ by: string }>('second', 'approved', {
      merge: (ctx, s) => void ctx.log.push(`second ${s.by}`),
    });
    const durable = runnerOn(open(), [p]);
    await durable.open();
    const { runId } = await durable.start(p, { amount: 1, log: [] });
    await durable.signal(runId, 'approved', { by: 'a' }, { dedupeKey: 'hook-1' });
    await durable.signal(runId, 'approved', { by: 'a again' }, { dedupeKey: 'hook-1' });
    await until(async () => (await durable.get(runId))?.steps.length === 1);
    // Sent while the run holds at "hold": kept for the second wait, which does not suspend.
    await durable.signal(runId, 'approved', { by: 'b' });
    release();
    const result = await durable.result<Refund>(runId);
    expect(result.context.log).toEqual(['first a', 'second b']);
    await expect(durable.signal(runId, 'approved', { by: 'late' })).rejects.toBeInstanceOf(RunFinishedError);
    await expect(durable.signal('no-such-run', 'approved')).rejects.toBeInstanceOf(RunNotFoundError);
    await durable.close();
  });

  it('W3 a sleep suspends the run until its time; a time already past goes on at once', async () => {
    const open = makeStores();
    const p = new Pipeline<{ wakeAt: number; log: string[] }>('nap', ['doze', 'past', 'after'], {
      version: '1',
    });
    p.sleep('doze', (ctx) => new Date(ctx.wakeAt));
    p.sleep('past', new Date(0));
    p.onStep('after', (ctx) => void ctx.log.push(`woke ${Date.now() >= ctx.wakeAt}`));
    const durable = runnerOn(open(), [p]);
    await durable.open();
    const wakeAt = Date.now() + 60;
    const { runId } = await durable.start(p, { wakeAt, log: [] });
    await until(async () => (await durable.get(runId))?.status === 'waiting');
    expect((await durable.get(runId))!.waiting).toEqual({ step: 'doze', until: wakeAt });
    const result = await durable.result<{ log: string[] }>(runId);
    expect(result.context.log).toEqual(['woke true']);
    await durable.close();
  });

  it('W4 a wait that times out fails the run with SignalTimeoutError (step, signal, budget); onTimeout continue goes on', async () => {
    const open = makeStores();
    const failing = refundPipeline({ timeoutMs: 30 });
    const durable = runnerOn(open(), [failing]);
    await durable.open();
    const { runId } = await durable.start(failing, { amount: 1, log: [] });
    const error = await durable.result(runId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalTimeoutError);
    expect(error).toMatchObject({ step: 'approval', signal: 'approved', budgetMs: 30 });
    await durable.close();

    const goingOn = refundPipeline({ timeoutMs: 30, onTimeout: 'continue' });
    const other = runnerOn(makeStores()(), [goingOn]);
    await other.open();
    const run = await other.run(goingOn, { amount: 1, log: [] });
    expect(run.context.log).toEqual(['check', 'approval by nobody', 'pay']);
    await other.close();
  });

  it('W2 W1 a signal sent while no process that can resume the run is up wakes it when one starts', async () => {
    const open = makeStores();
    const p = refundPipeline();
    const first = runnerOn(open(), [p]);
    await first.open();
    const { runId } = await first.start(p, { amount: 5, log: [] });
    await until(async () => (await first.get(runId))?.status === 'waiting');
    await first.close();
    // A client without the pipeline's definition: it can signal, not run the run.
    const client = runnerOn(open(), []);
    await client.open();
    await client.signal(runId, 'approved', { by: 'night shift' });
    expect((await client.get(runId))!.status).toBe('waiting');
    await client.close();
    const next = runnerOn(open(), [p]);
    await next.open();
    const result = await next.result<Refund>(runId);
    expect(result.context.approvedBy).toBe('night shift');
    await next.close();
  });

  it('W3 a sleep whose time passes while no process runs wakes at the next start, once', async () => {
    const open = makeStores();
    let after = 0;
    const build = () => {
      const p = new Pipeline<{ n: number }>('overnight', ['sleep', 'after'], { version: '1' });
      p.sleep('sleep', 30);
      p.onStep('after', () => void after++);
      return p;
    };
    const first = runnerOn(open(), [build()]);
    await first.open();
    const { runId } = await first.start(build(), { n: 1 });
    await until(async () => (await first.get(runId))?.status === 'waiting');
    const until_ = ((await first.get(runId))!.waiting as { until: number }).until;
    await first.close();
    await until(() => Date.now() > until_ + 20);
    const next = runnerOn(open(), [build()]);
    await next.open();
    expect((await next.result(runId)).outcome).toBe('completed');
    expect(after).toBe(1);
    await next.close();
  });

  it('D2 W1 a restart during the wait, the signal, a restart during the steps after it: each step commits once', async () => {
    const open = makeStores();
    const calls: string[] = [];
    let hold = true;
    const build = () => {
      const p = new Pipeline<Refund>('restarts', ['check', 'approval', 'pay', 'notify'], { version: '1' });
      p.onStep('check', () => void calls.push('check'));
      p.awaitSignal('approval', 'approved');
      p.onStep('pay', (_ctx, run) => {
        calls.push('pay');
        if (!hold) return;
        // Held until its process lets the run go (the signal aborts with the release).
        return new Promise<void>((_, reject) =>
          run.signal.addEventListener('abort', () => reject(run.signal.reason as Error)),
        );
      });
      p.onStep('notify', () => void calls.push('notify'));
      return p;
    };
    const a = runnerOn(open(), [build()]);
    await a.open();
    const { runId } = await a.start(build(), { amount: 1, log: [] });
    await until(async () => (await a.get(runId))?.status === 'waiting');
    await a.close();
    const b = runnerOn(open(), [build()]);
    await b.open();
    await b.signal(runId, 'approved', {});
    await until(() => calls.includes('pay'));
    // b goes down while pay runs: the run is let go at once, pay's commit never happens.
    await b.close({ releaseAfterMs: 0 });
    hold = false;
    const c = runnerOn(open(), [build()]);
    await c.open();
    expect((await c.result(runId)).outcome).toBe('completed');
    expect(calls).toEqual(['check', 'pay', 'pay', 'notify']);
    const store = open();
    await store.open();
    const keys = (await store.load(runId))!.steps.filter((s) => !s.key.includes('#')).map((s) => s.key);
    expect(keys).toEqual(['check', 'approval', 'pay', 'notify']);
    await store.close();
    await c.close();
  });
});

describe('W1 the announcement of a wait', () => {
  it('W1 run.suspended is announced once the wait is committed: whoever hears it reads the run as waiting', async () => {
    // A store whose commit of a wait lands some turns of the event loop later, as a database's does.
    const memory = new MemoryRunStore();
    const store = new Proxy(memory, {
      get(target, key, receiver) {
        if (key !== 'commit') return Reflect.get(target, key, receiver) as unknown;
        return async (...args: Parameters<RunStore['commit']>) => {
          if (args[2].status === 'waiting')
            for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
          return target.commit(...args);
        };
      },
    });
    const seen: Promise<string | undefined>[] = [];
    const p = refundPipeline();
    const durable: DurableRunner = new DurableRunner({
      store,
      pipelines: [p],
      pollMs: 10,
      observer: (e) => {
        if (e.type === 'run.suspended') seen.push(durable.get(e.runId).then((s) => s?.status));
      },
    });
    await durable.open();
    const { runId } = await durable.start(p, { amount: 10, log: [] });
    await until(() => seen.length === 1);
    expect(await seen[0]).toBe('waiting');
    await durable.signal(runId, 'approved', { by: 'ops' });
    await durable.result(runId);
    await durable.close();
  });
});

describe('W5 waits need a durable runner', () => {
  it('W5 pipeline.run() of a pipeline with a wait rejects with an OrkaConfigurationError that says what to do', async () => {
    const error = await refundPipeline()
      .run({ amount: 1, log: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrkaConfigurationError);
    expect((error as Error).message).toMatch(/waits at step "approval".*DurableRunner/);
  });

  it('W5 a sub-pipeline that sleeps, run from a run that is not durable, fails that run the same way', async () => {
    const sub = new Pipeline<{ n: number }>('sub', ['nap'], { version: '1' });
    sub.sleep('nap', 10);
    const parent = new Pipeline<{ n: number }>('parent', ['call']);
    parent.onStep('call', (ctx, run) => run.subPipeline(sub, ctx));
    const error = await parent.run({ n: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrkaConfigurationError);
    expect((error as Error).message).toMatch(/Pipeline "sub" waits at step "nap"/);
  });

  it('W1 W3 K11 R5 plan() says wait and sleep; describe() and the diagram show them as their own shapes', () => {
    const p = refundPipeline({ timeoutMs: 1000 });
    p.insertAfter('pay', 'cool_off');
    p.sleep('cool_off', 1000);
    expect(p.plan({ amount: 1, log: [] }).map((s) => s.action)).toEqual(['run', 'wait', 'run', 'sleep']);
    const steps = p.describe().steps;
    expect(steps[1]!.wait).toEqual({ signal: 'approved', timeoutMs: 1000 });
    expect(steps[3]!.wait).toEqual({ sleep: true });
    const diagram = p.toMermaid();
    expect(diagram).toContain('s1{{"approval<br/><small>waits for approved, 1000 ms at most</small>"}}');
    expect(diagram).toContain('s3[/"cool_off<br/><small>sleeps</small>"/]');
  });
});
