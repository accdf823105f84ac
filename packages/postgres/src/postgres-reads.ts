import { runStoreRules, type LoadedRun, type RunFilter, type RunPage } from '@orka/core';
import type pg from 'pg';
import { RUN_COLUMNS, runOf, signalOf, stepOf, type RunRow } from './postgres-rows.js';

// The store's reads, and its prune: single statements, outside any transaction of the store's.

const ENDED = `('completed', 'stopped', 'cancelled', 'failed')`;

/** A run with its entries and signals. */
export async function loadRun(pool: pg.Pool, s: string, runId: string): Promise<LoadedRun | undefined> {
  const row = (
    await pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${s}.orka_runs WHERE run_id = $1`, [runId])
  ).rows[0];
  return row && withEntries(pool, s, row);
}

/** A run's row with its entries (in commit order) and signals (in arrival order). */
export async function withEntries(pool: pg.Pool, s: string, row: RunRow): Promise<LoadedRun> {
  const [steps, signals] = await Promise.all([
    pool.query(`SELECT key, seq, data, frame, context FROM ${s}.orka_steps WHERE run_id = $1 ORDER BY seq`, [
      row.run_id,
    ]),
    pool.query(
      `SELECT id, name, payload, dedupe_key, consumed_by, at FROM ${s}.orka_signals WHERE run_id = $1 ORDER BY id`,
      [row.run_id],
    ),
  ]);
  return { run: runOf(row), steps: steps.rows.map(stepOf), signals: signals.rows.map(signalOf) };
}

/** A page of runs, newest first. */
export async function pageOfRuns(pool: pg.Pool, s: string, filter: RunFilter): Promise<RunPage> {
  const limit = filter.limit ?? 50;
  const after = runStoreRules.readCursor(filter.cursor);
  const rows = (
    await pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM ${s}.orka_runs
       WHERE ($1::text IS NULL OR pipeline = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::bigint IS NULL OR created_at < $3 OR (created_at = $3 AND run_id < $4))
       ORDER BY created_at DESC, run_id DESC LIMIT $5`,
      [
        filter.pipeline ?? null,
        filter.status ?? null,
        after?.createdAt ?? null,
        after?.runId ?? null,
        limit + 1,
      ],
    )
  ).rows;
  const runs = rows.slice(0, limit).map(runOf);
  return { runs, ...(rows.length > limit && { cursor: runStoreRules.pageCursor(runs[runs.length - 1]!) }) };
}

/** The runs that need an owner now (D4, W1-W4), read off the lease and wake-time indexes. */
export async function dueRuns(
  pool: pg.Pool,
  s: string,
  now: number,
  options: { limit: number; definitionHashes?: readonly string[] },
): Promise<string[]> {
  const rows = await pool.query<{ run_id: string }>(
    `SELECT run_id FROM ${s}.orka_runs
     WHERE ((status = 'running' AND (lease_until IS NULL OR lease_until <= $1))
         OR (status = 'waiting' AND wake_at <= $1))
       AND ($2::text[] IS NULL OR definition_hash = ANY($2::text[]))
     LIMIT $3`,
    [now, options.definitionHashes ?? null, options.limit],
  );
  return rows.rows.map((r) => r.run_id);
}

/** Deletes ended runs last updated before `before`, with their entries and signals, in one statement. */
export async function pruneRuns(pool: pg.Pool, s: string, before: number): Promise<number> {
  const pruned = await pool.query<{ n: string }>(
    `WITH gone AS (DELETE FROM ${s}.orka_runs WHERE status IN ${ENDED} AND updated_at < $1 RETURNING run_id),
       steps AS (DELETE FROM ${s}.orka_steps WHERE run_id IN (SELECT run_id FROM gone)),
       signals AS (DELETE FROM ${s}.orka_signals WHERE run_id IN (SELECT run_id FROM gone))
     SELECT count(*) AS n FROM gone`,
    [before],
  );
  return Number(pruned.rows[0]?.n ?? 0);
}
