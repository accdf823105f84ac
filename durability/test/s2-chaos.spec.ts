import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DurableRunner } from '@orka/core';
import { BullMqTransport } from '@orka/bullmq';
import { PostgresRunStore } from '@orka/postgres';
import pg from 'pg';
import { ensurePostgres, ensureRedis, type TestService } from '../../scripts/services/test-services.mjs';
import { CHAOS_EFFECTS, chaosPipelines } from '../children/chaos-pipeline.mjs';
import { startChild, type Child } from './support/harness.js';

// S2: two worker processes and a client; 200 runs of a pipeline with concurrent steps, a sub-pipeline, a
// sleep and a signal; a seeded killer sends SIGKILL to a random worker 15 times, 300 to 800 ms apart, and
// starts it again. Every run completes, the store holds each step committed once, and the ledger the
// steps write (INSERT ... ON CONFLICT (step_key) DO NOTHING) holds one effect per step, while the raw
// call log shows that kills made steps run twice. The first worker kills itself inside its fifth step
// (after the call row, before the effect), so that at least one step surely runs twice; where the random
// kills land is left to chance.

jest.setTimeout(240_000);

const RUNS = 200;
const KILLS = 15;

/** A small seeded generator (mulberry32): the same kills on every run of the test. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a failed test leaves running is stopped after it, so that the suite ends either way. */
const workers: Child[] = [];
let client: DurableRunner | undefined;
let postgres: TestService;
let redis: TestService;
let admin: pg.Pool;
const schema = `orka_chaos_${process.pid}_${Date.now().toString(36)}`;
const prefix = `orka-chaos-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([ensurePostgres(), ensureRedis()]);
  admin = new pg.Pool({ connectionString: postgres.url, max: 2 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(
    `CREATE TABLE ${schema}.ledger_calls (id bigserial PRIMARY KEY, step_key text NOT NULL, what text NOT NULL, pid int NOT NULL)`,
  );
  await admin.query(`CREATE TABLE ${schema}.ledger_effects (step_key text PRIMARY KEY, what text NOT NULL)`);
});

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await client?.close().catch(() => undefined);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  await postgres.stop();
  await redis.stop();
});

describe('S2 a worker killed at any point loses nothing', () => {
  it(`S2 D2 D4 ${RUNS} runs through two workers, one of them SIGKILLed ${KILLS} times: every run completes, each step has one commit and one effect`, async () => {
    const url = new URL(redis.url);
    const env = (owner: string, extra: Record<string, string> = {}) => ({
      ORKA_PG_URL: postgres.url,
      ORKA_PG_SCHEMA: schema,
      ORKA_REDIS_HOST: url.hostname,
      ORKA_REDIS_PORT: url.port || '6379',
      ORKA_PREFIX: prefix,
      ORKA_OWNER: owner,
      ...extra,
    });
    let generation = 0;
    const spawnWorker = async (slot: number, extra?: Record<string, string>): Promise<Child> => {
      const child = startChild('chaos.mjs', env(`worker-${slot}-${++generation}`, extra));
      await child.line((l) => l.event === 'ready');
      return child;
    };
    workers.push(await spawnWorker(0, { ORKA_CHAOS_DIE_AT_CALL: '5' }), await spawnWorker(1));
    const runner = new DurableRunner({
      store: new PostgresRunStore({ connectionString: postgres.url, schema, max: 4 }),
      pipelines: chaosPipelines(async () => undefined),
      transport: new BullMqTransport({
        connection: { host: url.hostname, port: Number(url.port || 6379) },
        prefix,
      }),
      role: 'client',
      owner: 'client',
      pollMs: 1_000,
    });
    client = runner;
    await runner.open();
    const [chaos] = chaosPipelines(async () => undefined);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { runId } = await runner.start(chaos, { n: i });
      ids.push(runId);
      // The signal is sent at once: kept until the run reaches its wait (W2), on whichever worker.
      await runner.signal(runId, 'go', { by: 'chaos' });
    }
    const results = Promise.all(ids.map((id) => runner.result(id)));
    // The failpoint: the first worker dies inside a step, its runs go to the other by lease expiry.
    await workers[0]!.line((l) => l.event === 'dying').catch(() => undefined);
    expect((await workers[0]!.exit).signal).toBe('SIGKILL');
    workers[0] = await spawnWorker(0);

    const random = seeded(20261206);
    const killed: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 500)));
      const slot = Math.floor(random() * 2);
      workers[slot]!.kill('SIGKILL');
      await workers[slot]!.exit;
      killed.push(slot);
      workers[slot] = await spawnWorker(slot);
    }
    const outcomes = await results;
    expect(outcomes.filter((r) => r.outcome === 'completed')).toHaveLength(RUNS);
    expect(killed).toHaveLength(KILLS);

    // The store: every run's steps, each committed once (its key is unique in a run), none missing.
    const steps = await admin.query<{ run_id: string; key: string }>(
      // Step records only: not the marks of branches, attempts, waits and finishers.
      `SELECT run_id, key FROM ${schema}.orka_steps WHERE key !~ '#(attempts|branch|wait|finished)$'`,
    );
    const byRun = new Map<string, string[]>();
    for (const row of steps.rows) byRun.set(row.run_id, [...(byRun.get(row.run_id) ?? []), row.key]);
    for (const id of ids) {
      const keys = byRun.get(id) ?? [];
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual(
        [
          'approval',
          'audit',
          'charge',
          'cool_off',
          'notify',
          'reserve',
          'ship',
          'ship/chaos-pack#1/box',
          'ship/chaos-pack#1/label',
        ].sort(),
      );
    }
    // The ledger: one effect per step of every run, and more calls than effects.
    const effects = await admin.query<{ step_key: string }>(`SELECT step_key FROM ${schema}.ledger_effects`);
    expect(effects.rowCount).toBe(RUNS * CHAOS_EFFECTS.length);
    const expected = new Set(ids.flatMap((id) => CHAOS_EFFECTS.map((path) => `${id}:${path}`)));
    expect(effects.rows.filter((r) => !expected.has(r.step_key))).toEqual([]);
    const calls = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.ledger_calls`);
    expect(Number(calls.rows[0]!.n)).toBeGreaterThan(RUNS * CHAOS_EFFECTS.length);

    client = undefined;
    await runner.close();
    for (const w of workers.splice(0)) {
      w.kill('SIGTERM');
      await w.exit;
    }
  });
});
