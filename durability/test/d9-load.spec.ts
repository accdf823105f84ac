import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { RunStore, StoredRun } from '@orka/core';
import { runChild, startChild, stopServices, storeUnderTest } from './support/harness.js';

afterAll(stopServices);
// A thousand runs, each committed step by step: on PostgreSQL with synchronous commits on a loaded
// machine this takes seconds, not milliseconds.
jest.setTimeout(120_000);

const RUNS = 1000;

/** Every run of the store, page after page. */
async function allRuns(store: RunStore): Promise<StoredRun[]> {
  const runs: StoredRun[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ pipeline: 'load', limit: 200, cursor });
    runs.push(...page.runs);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return runs;
}

/** What the store holds: every run completed, with exactly its three steps, each once. */
async function expectExactly(store: RunStore): Promise<void> {
  const runs = await allRuns(store);
  expect(runs).toHaveLength(RUNS);
  expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
  const steps = await Promise.all(
    runs.map(async (r) => (await store.load(r.runId))!.steps.map((s) => s.key)),
  );
  for (const keys of steps) expect(keys).toEqual(['a', 'b', 'c']);
}

describe('D9 nothing is lost under load', () => {
  it(`D9 ${RUNS} concurrent durable runs on one store all complete, and the store holds exactly their steps`, async () => {
    const store = await storeUnderTest('load');
    try {
      const lines = await runChild('load.mjs', {
        ORKA_STORE: store.spec,
        ORKA_MODE: 'start',
        ORKA_RUNS: String(RUNS),
      });
      expect(lines.find((l) => l.event === 'all')).toEqual({ event: 'all', runs: RUNS, completed: RUNS });
      const reader = await store.open();
      await expectExactly(reader);
      await reader.close();
    } finally {
      await store.dispose();
    }
  });

  it(`D9 D4 killed (SIGKILL) in the middle of ${RUNS} runs, a restarted process completes every one of them`, async () => {
    const store = await storeUnderTest('load-kill');
    try {
      const env = { ORKA_STORE: store.spec, ORKA_RUNS: String(RUNS), ORKA_PG_POOL: '16' };
      const first = startChild('load.mjs', { ...env, ORKA_MODE: 'start', ORKA_KILL_AFTER: String(RUNS / 4) });
      expect((await first.exit).signal).toBe('SIGKILL');
      expect(first.lines.find((l) => l.event === 'dying')).toEqual({ event: 'dying', lastSteps: RUNS / 4 });
      const reader = await store.open();
      const left = (await allRuns(reader)).filter((r) => r.status !== 'completed');
      // The kill came in the middle: runs were left unfinished.
      expect(left.length).toBeGreaterThan(0);
      const lines = await runChild('load.mjs', { ...env, ORKA_MODE: 'resume' });
      expect(lines.find((l) => l.event === 'all')).toEqual({ event: 'all', runs: RUNS, completed: RUNS });
      await expectExactly(reader);
      await reader.close();
    } finally {
      await store.dispose();
    }
  });
});
