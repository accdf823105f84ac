import { runStoreRules, type CommitResult, type Lease, type RunWrite } from '@orka/core';
import type { Pool, PoolClient } from 'pg';
import { waitColumns } from './postgres-rows.js';

/** A commit whose signal was consumed already: its transaction is rolled back, and it answers `ok: false`. */
export class SignalTaken extends Error {}

/**
 * One commit under a lease (D2, D4, W1-W2), in its own transaction: the run's row is locked first, so
 * that a claim, a signal or another commit of the same run waits for it. Refused (nothing written)
 * when the lease has passed on, or the run has ended; throws `SignalTaken` when the signal it consumes was consumed already.
 */
export async function applyCommit(
  client: PoolClient,
  schema: string,
  runId: string,
  lease: Lease,
  write: RunWrite,
): Promise<CommitResult> {
  const held = (
    await client.query<{ seq: string; cancel_requested: string | null }>(
      `SELECT seq, cancel_requested FROM ${schema}.orka_runs
       WHERE run_id = $1 AND owner = $2 AND fence = $3 AND status IN ('running', 'waiting') FOR UPDATE`,
      [runId, lease.owner, lease.fence],
    )
  ).rows[0];
  if (held === undefined) return { ok: false };
  if (write.consumeSignal) {
    const consumed = await client.query(
      `UPDATE ${schema}.orka_signals SET consumed_by = $1 WHERE run_id = $2 AND id = $3 AND consumed_by IS NULL`,
      [write.consumeSignal.by, runId, write.consumeSignal.id],
    );
    if (consumed.rowCount === 0) throw new SignalTaken();
  }
  const steps = write.steps ?? [];
  const first = Number(held.seq) + 1;
  if (steps.length > 0) {
    await client.query(
      `INSERT INTO ${schema}.orka_steps (run_id, key, seq, data, frame, context)
       SELECT $1, k, $2::bigint + o - 1, d, f, c
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(k, d, f, c, o)
       ON CONFLICT (run_id, key) DO UPDATE SET seq = excluded.seq, data = excluded.data,
         frame = excluded.frame, context = excluded.context`,
      [
        runId,
        first,
        steps.map((s) => s.key),
        steps.map((s) => s.data),
        steps.map((s) => s.frame ?? null),
        steps.map((s) => s.context ?? null),
      ],
    );
  }
  const cancelRequested = held.cancel_requested ?? undefined;
  const waiting = write.status === 'waiting';
  const wait = waiting ? write.wait : undefined;
  const columns = waitColumns(wait);
  let wakeNow = false;
  if (waiting) {
    const arrived =
      wait?.kind === 'signal' &&
      (
        await client.query(
          `SELECT 1 FROM ${schema}.orka_signals WHERE run_id = $1 AND name = $2 AND consumed_by IS NULL LIMIT 1`,
          [runId, wait.signal],
        )
      ).rowCount !== 0;
    wakeNow =
      cancelRequested !== undefined ||
      wait === undefined ||
      arrived ||
      (columns.wakeAt !== null && columns.wakeAt <= write.now);
  }
  const release =
    write.release === true || waiting || (write.status !== undefined && runStoreRules.isEnded(write.status));
  await client.query(
    `UPDATE ${schema}.orka_runs SET seq = $2, context = COALESCE($3, context), status = COALESCE($4, status),
       error = COALESCE($5, error), updated_at = $6,
       wait = CASE WHEN $4::text IS NULL THEN wait ELSE $7 END,
       wait_signal = CASE WHEN $4::text IS NULL THEN wait_signal ELSE $8 END,
       wake_at = CASE WHEN $4::text IS NULL THEN wake_at ELSE $9 END,
       owner = CASE WHEN $10 THEN NULL ELSE owner END,
       lease_until = CASE WHEN $10 THEN NULL ELSE lease_until END
     WHERE run_id = $1`,
    [
      runId,
      first - 1 + steps.length,
      write.context ?? null,
      write.status ?? null,
      write.error === undefined ? null : JSON.stringify(write.error),
      write.now,
      wait === undefined ? null : JSON.stringify(wait),
      columns.signal,
      // A run that can go on at once is due at once too: if this process dies now, another takes it up.
      wakeNow ? write.now : columns.wakeAt,
      release,
    ],
  );
  return {
    ok: true,
    ...(cancelRequested !== undefined && { cancelRequested }),
    ...(wakeNow && { wakeNow: true }),
  };
}

/** Runs `work` in a transaction on a client of the pool: committed when it resolves, else rolled back. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
