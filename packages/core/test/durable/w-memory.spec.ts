import { describe, expect, it, jest } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DurableRunner, MemoryRunStore, Pipeline } from '../../src/index.js';
import { until } from './wait-support.js';

// W1: a waiting run holds no lease and no memory in the process: what it needs is in the store. The
// test counts the runs' context objects still alive (weak references, after a full collection), not
// how long anything took.

jest.setTimeout(120_000);

const RUNS = 10_000;

/** A full garbage collection, made available without starting Node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Ticket {
  n: number;
  /** Some weight, so that a context kept alive would show. */
  notes: string[];
  approvedBy?: string;
}

describe('W1 waiting runs hold nothing in the process', () => {
  it(`W1 W2 ${RUNS.toLocaleString('en')} runs waiting at once keep no context alive in the process, and ${RUNS.toLocaleString('en')} signals wake them all`, async () => {
    const alive: WeakRef<Ticket>[] = [];
    const p = new Pipeline<Ticket>('ticket', ['open', 'approval', 'close'], { version: '1' });
    p.onStep('open', (ctx) => void alive.push(new WeakRef(ctx)));
    p.awaitSignal<{ by: string }>('approval', 'approved', {
      merge: (ctx, s) => void (ctx.approvedBy = s.by),
    });
    p.onStep('close', (ctx) => void ctx.notes.push('closed'));
    const store = new MemoryRunStore();
    const durable = new DurableRunner({ store, pipelines: [p], pollMs: 50 });
    await durable.open();
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 500) {
      const batch = await Promise.all(
        Array.from({ length: 500 }, (_, j) =>
          durable.start(p, {
            n: i + j,
            notes: Array.from({ length: 20 }, (_, k) => `note ${k} of ${i + j}`),
          }),
        ),
      );
      ids.push(...batch.map((b) => b.runId));
    }
    await until(async () => (await durable.list({ status: 'waiting', limit: 1 })).runs.length === 1);
    await until(async () => {
      const page = await durable.list({ status: 'running', limit: 1 });
      return page.runs.length === 0;
    });
    expect(alive).toHaveLength(RUNS);
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(alive.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);

    await Promise.all(ids.map((runId) => durable.signal(runId, 'approved', { by: 'ops' })));
    const results = await Promise.all(ids.map((runId) => durable.result<Ticket>(runId)));
    expect(results.filter((r) => r.outcome === 'completed' && r.context.approvedBy === 'ops')).toHaveLength(
      RUNS,
    );
    expect(results.every((r) => r.context.notes.at(-1) === 'closed')).toBe(true);
    await durable.close();
  });
});
