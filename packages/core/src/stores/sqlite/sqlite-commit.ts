import type { CommitResult, Lease, RunWrite } from '../run-store.js';
import { isEnded } from '../store-rules.js';
import { waitColumns } from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

/** A commit whose signal was consumed already: its savepoint is rolled back, and it answers `ok: false`. */
export class SignalTaken extends Error {}

/**
 * One commit under a lease (D2, D4, W1-W2), inside the batch's transaction: refused (nothing written)
 * when the lease has passed on or the run has ended; throws `SignalTaken` when the signal it consumes
 * was consumed already, so that its savepoint, and every write it made, is rolled back.
 */
export function applyCommit(
  sql: SqliteStatements,
  runId: string,
  lease: Lease,
  write: RunWrite,
): CommitResult {
  const held = sql.holding.get(runId, lease.owner, lease.fence);
  if (!held) return { ok: false };
  if (write.consumeSignal) {
    const { id, by } = write.consumeSignal;
    if (Number(sql.consumeSignal.run(by, runId, id).changes) === 0) throw new SignalTaken();
  }
  let seq = Number(held.seq);
  for (const step of write.steps ?? [])
    sql.upsertStep.run(runId, step.key, ++seq, step.data, step.frame ?? null, step.context ?? null);
  const error = write.error === undefined ? null : JSON.stringify(write.error);
  sql.updateRun.run(seq, write.context ?? null, write.status ?? null, write.now, error, runId);
  const cancelRequested = held.cancel_requested === null ? undefined : String(held.cancel_requested);
  let wakeNow = false;
  if (write.status === 'waiting') {
    const wait = write.wait;
    const columns = waitColumns(wait);
    wakeNow =
      cancelRequested !== undefined ||
      wait === undefined ||
      (columns.wakeAt !== null && columns.wakeAt <= write.now) ||
      (wait.kind === 'signal' && sql.unconsumed.get(runId, wait.signal) !== undefined);
    // A run that can go on at once is due at once too: if this process dies now, another takes it up.
    const wakeAt = wakeNow ? write.now : columns.wakeAt;
    sql.setWait.run(wait === undefined ? null : JSON.stringify(wait), columns.signal, wakeAt, runId);
  } else if (write.status !== undefined) {
    sql.setWait.run(null, null, null, runId);
  }
  if (write.release || write.status === 'waiting' || (write.status !== undefined && isEnded(write.status)))
    sql.releaseLease.run(runId);
  return {
    ok: true,
    ...(cancelRequested !== undefined && { cancelRequested }),
    ...(wakeNow && { wakeNow: true }),
  };
}
