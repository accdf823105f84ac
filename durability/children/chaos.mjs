// A worker of the chaos test (S2): the chaos pipeline on a shared PostgreSQL store, through BullMQ.
// Each step writes a raw call row (every execution) and an effect row keyed by its step key
// (INSERT ... ON CONFLICT DO NOTHING: once, however often the step runs). Environment: ORKA_PG_URL,
// ORKA_PG_SCHEMA, ORKA_REDIS_HOST, ORKA_REDIS_PORT, ORKA_PREFIX, ORKA_OWNER; ORKA_CHAOS_DIE_AT_CALL=n makes
// the process kill itself at its n-th step call, after the call row and before the effect (a crash in a
// handler that the test can count on, where the random kills may or may not land inside a step).
import { DurableRunner } from '@orka/core';
import { BullMqTransport } from '@orka/bullmq';
import { PostgresRunStore } from '@orka/postgres';
import pg from 'pg';
import { chaosPipelines } from './chaos-pipeline.mjs';

const env = process.env;
const pool = new pg.Pool({ connectionString: env.ORKA_PG_URL, max: 8 });
const schema = env.ORKA_PG_SCHEMA;
const dieAtCall = Number(env.ORKA_CHAOS_DIE_AT_CALL ?? 0);
let calls = 0;
const effect = async (run, what) => {
  await pool.query(`INSERT INTO ${schema}.ledger_calls (step_key, what, pid) VALUES ($1, $2, $3)`, [
    run.stepKey,
    what,
    process.pid,
  ]);
  if (++calls === dieAtCall) {
    process.stdout.write(`${JSON.stringify({ event: 'dying', at: run.stepKey })}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  // Long enough that a kill finds steps in flight.
  await new Promise((resolve) => setTimeout(resolve, 60 + Math.floor(Math.random() * 120)));
  await pool.query(
    `INSERT INTO ${schema}.ledger_effects (step_key, what) VALUES ($1, $2) ON CONFLICT (step_key) DO NOTHING`,
    [run.stepKey, what],
  );
};
const leaseMs = 1_000;
const durable = new DurableRunner({
  store: new PostgresRunStore({ connectionString: env.ORKA_PG_URL, schema, max: 8 }),
  pipelines: chaosPipelines(effect),
  transport: new BullMqTransport({
    connection: { host: env.ORKA_REDIS_HOST, port: Number(env.ORKA_REDIS_PORT) },
    prefix: env.ORKA_PREFIX,
    lockDurationMs: leaseMs,
    concurrency: 16,
  }),
  role: 'worker',
  owner: env.ORKA_OWNER,
  leaseMs,
  pollMs: 250,
});
await durable.open();
process.stdout.write(`${JSON.stringify({ event: 'ready', owner: env.ORKA_OWNER })}\n`);
process.on(
  'SIGTERM',
  () =>
    void durable
      .close({ releaseAfterMs: 0 })
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
