// Part 6: durable runs. The added cost of a durable run over the same pipeline in memory (sequential,
// one run at a time: the latency a caller pays), the committed steps per second with many runs at once
// (group commit on SQLite; PostgreSQL's own group commit across connections), and how soon a run
// abandoned by a killed process resumes elsewhere. Needs node:sqlite (Node 22.13+; main.ts runs this
// suite on Node 24) and a PostgreSQL (scripts/services/test-services.mjs finds or starts one).
import { strictEqual } from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableRunner, type RunStore } from '@orka/core';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { summarize, type Summary } from '../lib/stats.js';
import { STEPS, benchPipeline, expectedSum, newCtx } from './workload.js';
import { openBenchStore } from './stores.js';

const args = parseArgs();
const rounds = args.quick ? 3 : 7;
const sequentialRuns = args.quick ? 100 : 300;
const dir = mkdtempSync(join(tmpdir(), 'orka-bench-durable-'));
let stores = 0;

interface Services {
  ensurePostgres(): Promise<{ url: string; stop(): Promise<void> }>;
}

async function runner(spec: string, leaseMs = 30_000): Promise<{ durable: DurableRunner; store: RunStore }> {
  const store = await openBenchStore(spec);
  const durable = new DurableRunner({ store, pipelines: [benchPipeline()], leaseMs, pollMs: 250 });
  await durable.open();
  return { durable, store };
}

/** Microseconds per run, one run at a time, in memory and durable on `spec`, alternating round by round. */
async function latency(
  spec: string,
): Promise<{ memoryUsPerRun: Summary; durableUsPerRun: Summary; addedUsPerStep: Summary }> {
  const pipeline = benchPipeline();
  const { durable } = await runner(spec);
  const memory: number[] = [];
  const stored: number[] = [];
  const added: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    let t = performance.now();
    for (let i = 0; i < sequentialRuns; i++) await pipeline.run(newCtx(i));
    const m = ((performance.now() - t) * 1000) / sequentialRuns;
    t = performance.now();
    for (let i = 0; i < sequentialRuns; i++) {
      const result = await durable.run(pipeline, newCtx(i));
      if (i === 0) strictEqual(result.context.sum, expectedSum);
    }
    const d = ((performance.now() - t) * 1000) / sequentialRuns;
    if (round === 0) continue; // warm-up
    memory.push(m);
    stored.push(d);
    added.push((d - m) / STEPS);
  }
  await durable.close();
  return {
    memoryUsPerRun: summarize(memory),
    durableUsPerRun: summarize(stored),
    addedUsPerStep: summarize(added),
  };
}

/** Committed steps per second with `concurrency` runs in flight at once (batches of that many). */
async function throughput(spec: string, concurrency: number): Promise<{ stepsPerSec: Summary }> {
  const pipeline = benchPipeline();
  const { durable } = await runner(spec);
  const rates: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    const t = performance.now();
    const results = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => durable.run(pipeline, newCtx(i))),
    );
    const seconds = (performance.now() - t) / 1000;
    for (const r of results) strictEqual(r.context.sum, expectedSum);
    if (round > 0) rates.push((concurrency * STEPS) / seconds);
  }
  await durable.close();
  return { stepsPerSec: summarize(rates) };
}

/** From the SIGKILL of a run's owner to the run completed by another process, with `leaseMs` leases. */
async function recovery(spec: string, leaseMs: number): Promise<{ resumedAfterMs: Summary }> {
  const times: number[] = [];
  for (let round = 0; round < Math.max(2, Math.ceil(rounds / 2)); round++) {
    const runId = `recovery-${round}-${Date.now()}`;
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'abandon.js'), spec, runId, String(leaseMs)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await exited;
    const store = await openBenchStore(spec);
    const { Pipeline } = await import('@orka/core');
    const p = new Pipeline<{ done: number }>('recovery', ['first', 'stuck', 'last'], { version: '1' });
    p.onStep('first', (ctx) => void (ctx.done = 1));
    p.onStep('stuck', () => undefined);
    p.onStep('last', (ctx) => void (ctx.done = 3));
    const durable = new DurableRunner({ store, pipelines: [p], leaseMs, pollMs: 250 });
    await durable.open();
    const result = await durable.result(runId);
    times.push(performance.now() - killedAt);
    strictEqual((result.context as { done: number }).done, 3);
    await durable.close();
  }
  return { resumedAfterMs: summarize(times) };
}

/**
 * The process heap with `runs` runs waiting for a signal (after a full collection), against the heap
 * before they started: a waiting run is meant to leave nothing in the process but the store's cache.
 */
async function waitingHeap(
  spec: string,
  runs: number,
): Promise<{ runs: number; beforeMB: number; waitingMB: number; bytesPerWaitingRun: number }> {
  const { Pipeline } = await import('@orka/core');
  const p = new Pipeline<{ n: number; notes: string[]; by?: string }>(
    'waiting',
    ['open', 'approval', 'close'],
    { version: '1' },
  );
  p.onStep('open', (ctx) => void ctx.notes.push('opened'));
  p.awaitSignal<{ by: string }>('approval', 'approved', { merge: (ctx, s) => void (ctx.by = s.by) });
  p.onStep('close', (ctx) => void ctx.notes.push('closed'));
  const store = await openBenchStore(spec);
  const durable = new DurableRunner({ store, pipelines: [p], pollMs: 250 });
  await durable.open();
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  const ids: string[] = [];
  for (let i = 0; i < runs; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(500, runs - i) }, (_, j) => durable.start(p, { n: i + j, notes: [] })),
    );
    ids.push(...batch.map((b) => b.runId));
  }
  while ((await durable.list({ status: 'running', limit: 1 })).runs.length > 0)
    await new Promise((r) => setTimeout(r, 20));
  const waiting = heap();
  for (let i = 0; i < ids.length; i += 500)
    await Promise.all(ids.slice(i, i + 500).map((id) => durable.signal(id, 'approved', { by: 'bench' })));
  const results = await Promise.all(ids.map((id) => durable.result(id)));
  strictEqual(results.filter((r) => r.outcome === 'completed').length, runs);
  await durable.close();
  return {
    runs,
    beforeMB: before / 2 ** 20,
    waitingMB: waiting / 2 ** 20,
    bytesPerWaitingRun: (waiting - before) / runs,
  };
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('the durable suite needs node --expose-gc');
  collect();
};

const sqlite = (mode: 'normal' | 'full') => `sqlite-${mode}:${join(dir, `runs-${++stores}.db`)}`;

try {
  const services = (await import(
    join(import.meta.dirname, '..', '..', '..', 'scripts', 'services', 'test-services.mjs')
  )) as Services;
  const postgres = await services.ensurePostgres();
  const schemas: string[] = [];
  const pg = (label: string) => {
    const schema = `orka_bench_${label}_${process.pid}_${++stores}`;
    schemas.push(schema);
    return `postgres:${postgres.url}#${schema}`;
  };
  log('durable: latency, memory store');
  const memoryStore = await latency('memory');
  log('durable: latency, SQLite normal');
  const sqliteNormal = await latency(sqlite('normal'));
  log('durable: latency, SQLite full');
  const sqliteFull = await latency(sqlite('full'));
  log('durable: latency, PostgreSQL');
  const postgresLatency = await latency(pg('latency'));
  log('durable: throughput');
  const result = {
    steps: STEPS,
    rounds,
    sequentialRuns,
    latency: { memoryStore, sqliteNormal, sqliteFull, postgres: postgresLatency },
    throughput: {
      sqliteNormal100: await throughput(sqlite('normal'), 100),
      sqliteFull64: await throughput(sqlite('full'), 64),
      postgres64: await throughput(pg('throughput'), 64),
    },
    recovery: { leaseMs: 2_000, sqlite: await recovery(sqlite('normal'), 2_000) },
    waiting: await waitingHeap(sqlite('normal'), 10_000),
  };
  const { default: pgClient } = await import('pg');
  const pool = new pgClient.Pool({ connectionString: postgres.url, max: 1 });
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await postgres.stop();
  writeResult(args.out, result);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
