// Part 7: scale-out. Start-to-result latency (p50, p99, one run at a time) and runs/s (64 at once) of a
// 5-step durable run through BullMQ with 1 and 2 worker processes on the local Redis and PostgreSQL,
// beside the same pipeline durable on SQLite in one process, and BullMQ's own add-to-complete time (a
// job that does nothing) as the floor.
import { strictEqual } from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableRunner } from '@orka/core';
import { BullMqTransport } from '@orka/bullmq';
import { PostgresRunStore } from '@orka/postgres';
import { SqliteRunStore } from '@orka/core/sqlite';
import { Queue, QueueEvents, Worker } from 'bullmq';
import pg from 'pg';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { quantile } from '../lib/stats.js';
import { fiveSteps } from './pipeline.js';

const args = parseArgs();
const sequential = args.quick ? 100 : 300;
const concurrent = args.quick ? 256 : 640;

interface Services {
  ensurePostgres(): Promise<{ url: string; stop(): Promise<void> }>;
  ensureRedis(): Promise<{ url: string; stop(): Promise<void> }>;
}

interface Figures {
  p50Ms: number;
  p99Ms: number;
  runsPerSec: number;
}

async function measure(run: () => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next++ < concurrent) await run();
    }),
  );
  return {
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    runsPerSec: concurrent / ((performance.now() - t) / 1000),
  };
}

const services = (await import(
  join(import.meta.dirname, '..', '..', '..', 'scripts', 'services', 'test-services.mjs')
)) as Services;
const [postgres, redis] = await Promise.all([services.ensurePostgres(), services.ensureRedis()]);
const redisUrl = new URL(redis.url);
const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };
const dir = mkdtempSync(join(tmpdir(), 'orka-bench-scaleout-'));
const schemas: string[] = [];
const children: ChildProcess[] = [];

async function throughQueue(workers: number): Promise<Figures> {
  const id = `${process.pid}_${workers}_${Date.now().toString(36)}`;
  const schema = `orka_bench_so_${id}`;
  schemas.push(schema);
  const prefix = `orka-bench-${id}`;
  // The store's tables, made once before the workers race to make them.
  const setup = new PostgresRunStore({ connectionString: postgres.url, schema });
  await setup.open();
  await setup.close();
  for (let w = 0; w < workers; w++) {
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, 'worker.js'),
        postgres.url,
        schema,
        connection.host,
        String(connection.port),
        prefix,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  }
  const p = fiveSteps();
  const client = new DurableRunner({
    store: new PostgresRunStore({ connectionString: postgres.url, schema, max: 16 }),
    pipelines: [p],
    transport: new BullMqTransport({ connection, prefix }),
    role: 'client',
  });
  await client.open();
  const figures = await measure(async () => {
    const r = await client.run(p, { n: 1, sum: 0 });
    strictEqual(r.context.sum, 15);
  });
  await client.close();
  for (const c of children.splice(0)) c.kill('SIGTERM');
  return figures;
}

async function sqliteOneProcess(): Promise<Figures> {
  const p = fiveSteps();
  const durable = new DurableRunner({
    store: new SqliteRunStore({ path: join(dir, 'runs.db') }),
    pipelines: [p],
  });
  await durable.open();
  const figures = await measure(() => durable.run(p, { n: 1, sum: 0 }));
  await durable.close();
  return figures;
}

async function bullmqFloor(): Promise<Figures> {
  const prefix = `orka-bench-floor-${process.pid}`;
  const queue = new Queue('floor', { connection, prefix });
  const events = new QueueEvents('floor', { connection, prefix });
  const worker = new Worker('floor', async () => 'done', { connection, prefix, concurrency: 64 });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
  let n = 0;
  const figures = await measure(async () => {
    const job = await queue.add('noop', {}, { jobId: `j${++n}`, removeOnComplete: true });
    await job.waitUntilFinished(events);
  });
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return figures;
}

try {
  log('scale-out: BullMQ floor');
  const floor = await bullmqFloor();
  log('scale-out: SQLite, one process');
  const sqlite = await sqliteOneProcess();
  log('scale-out: one worker');
  const one = await throughQueue(1);
  log('scale-out: two workers');
  const two = await throughQueue(2);
  writeResult(args.out, { steps: 5, sequential, concurrent, floor, sqlite, one, two });
} finally {
  for (const c of children) c.kill('SIGKILL');
  const pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await postgres.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
