import { describe, expect, it } from '@jest/globals';
import { DurableRunner, MemoryRunStore, Pipeline, type OrkaEvent, type RunStore } from '../../src/index.js';

// Two runners on one store stand for two processes: the first "dies" (its step never returns and it
// never renews its lease: a short lease on a runner that is not polled), the second takes over.

interface Ctx {
  seen: number[];
}

/** Resolves once the store's lease on the run has run out. */
async function leaseExpired(store: RunStore, runId: string): Promise<void> {
  for (;;) {
    const run = (await store.load(runId))?.run;
    if (run && (run.owner === undefined || (run.leaseUntil ?? 0) < Date.now())) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A runner whose lease renewals and polls never happen: as good as dead once started. */
function deadAfterStart(store: RunStore, pipeline: Pipeline<Ctx>): DurableRunner {
  return new DurableRunner({ store, pipelines: [pipeline], owner: 'dead', leaseMs: 30, pollMs: 3_600_000 });
}

describe('durable runs taken over by another process', () => {
  it('D6 R1 retries count across resumes: a resumed step gets only the attempts it has left', async () => {
    const store = new MemoryRunStore();
    const attempts: [string, number][] = [];
    let hang = true;
    const build = (owner: string) => {
      const p = new Pipeline<Ctx>('retrying', ['flaky'], { version: '1' });
      p.onStep('flaky', (_ctx, run) => {
        attempts.push([owner, run.attempt]);
        if (run.attempt === 3 && hang && owner === 'dead') return new Promise<void>(() => undefined);
        throw new Error(`attempt ${run.attempt} failed`);
      });
      p.stepOptions('flaky', { retry: { attempts: 3, delayMs: 0, jitter: false } });
      return p;
    };
    const dead = deadAfterStart(store, build('dead'));
    await dead.open();
    const { runId } = await dead.start(build('dead'), { seen: [] });
    while (attempts.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await leaseExpired(store, runId);
    hang = false;
    const alive = new DurableRunner({ store, pipelines: [build('alive')], owner: 'alive', pollMs: 10 });
    await alive.open();
    const failure = await alive.result(runId).catch((e: unknown) => e);
    expect((failure as Error).message).toBe('attempt 3 failed');
    // The third attempt was in flight when the first process died; the second ran it again, and only it.
    expect(attempts).toEqual([
      ['dead', 1],
      ['dead', 2],
      ['dead', 3],
      ['alive', 3],
    ]);
    const record = (await alive.get(runId))!.steps[0]!;
    expect([record.status, record.attempts]).toEqual(['failed', 3]);
    await alive.close();
  });

  it('D8 D4 the new owner announces run.recovered (from whom, by whom); the run goes on from its last commit', async () => {
    const store = new MemoryRunStore();
    let stuck = true;
    const build = () => {
      const p = new Pipeline<Ctx>('recovering', ['a', 'b', 'c'], { version: '1' });
      p.onStep('a', (ctx) => void ctx.seen.push(1));
      p.onStep('b', (ctx) => (stuck ? new Promise<void>(() => undefined) : void ctx.seen.push(2)));
      p.onStep('c', (ctx) => void ctx.seen.push(3));
      return p;
    };
    const dead = deadAfterStart(store, build());
    await dead.open();
    const { runId } = await dead.start(build(), { seen: [] });
    await leaseExpired(store, runId);
    stuck = false;
    const events: OrkaEvent[] = [];
    const alive = new DurableRunner({
      store,
      pipelines: [build()],
      owner: 'alive',
      pollMs: 10,
      observer: (e) => events.push(e),
    });
    await alive.open();
    const result = await alive.result<Ctx>(runId);
    expect(result.context.seen).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({ type: 'run.recovered', runId, from: 'dead', by: 'alive' });
    // Step a committed before the first owner died: it did not run again.
    expect(events.filter((e) => e.type === 'step.started').map((e) => e.step)).toEqual(['b', 'c']);
    await alive.close();
  });

  it('D7 cancel ends a running run at its next step boundary, committed as cancelled, and its finishers run', async () => {
    const store = new MemoryRunStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const finished: string[] = [];
    const p = new Pipeline<Ctx>('cancelled', ['a', 'b'], { version: '1' });
    p.onStep('a', async (ctx) => {
      ctx.seen.push(1);
      await gate;
    });
    p.onStep('b', (ctx) => void ctx.seen.push(2));
    p.onFinish((_ctx, outcome) => void finished.push(outcome.status));
    const durable = new DurableRunner({ store, pipelines: [p], pollMs: 10 });
    await durable.open();
    const { runId } = await durable.start(p, { seen: [] });
    await durable.cancel(runId, 'customer asked');
    release();
    const result = await durable.result<Ctx>(runId);
    expect(result.outcome).toBe('cancelled');
    expect(result.context.seen).toEqual([1]);
    expect(finished).toEqual(['cancelled']);
    expect((await store.load(runId))!.run.status).toBe('cancelled');
    await durable.close();
  });
});
