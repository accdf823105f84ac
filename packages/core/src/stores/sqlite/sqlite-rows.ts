import type { StoredRun, StoredRunStatus, StoredSignal, StoredStep, StoredWait } from '../run-store.js';
import type { SqliteRow } from './sqlite-driver.js';

// Rows of the store's tables as the store's types, and back. NULL columns become absent fields, so
// that a run read back is the run that was written (`checkRunStore` compares them as JSON).

const text = (v: SqliteRow[string] | undefined): string | undefined =>
  v === null || v === undefined ? undefined : String(v);
const int = (v: SqliteRow[string] | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** A row of `orka_runs` as a run. */
export function runOf(row: SqliteRow): StoredRun {
  const version = text(row.version);
  const parentRunId = text(row.parent_run_id);
  const idempotencyKey = text(row.idempotency_key);
  const owner = text(row.owner);
  const leaseUntil = int(row.lease_until);
  const wait = text(row.wait);
  const cancelRequested = text(row.cancel_requested);
  const error = text(row.error);
  return {
    runId: String(row.run_id),
    pipeline: String(row.pipeline),
    ...(version !== undefined && { version }),
    definitionHash: String(row.definition_hash),
    status: String(row.status) as StoredRunStatus,
    context: String(row.context),
    ...(parentRunId !== undefined && { parentRunId }),
    ...(idempotencyKey !== undefined && { idempotencyKey }),
    ...(owner !== undefined && { owner }),
    ...(leaseUntil !== undefined && { leaseUntil }),
    fence: Number(row.fence),
    ...(wait !== undefined && { wait: JSON.parse(wait) as StoredWait }),
    ...(cancelRequested !== undefined && { cancelRequested }),
    ...(error !== undefined && { error: JSON.parse(error) as StoredRun['error'] }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A row of `orka_steps` as an entry. */
export function stepOf(row: SqliteRow): StoredStep {
  const frame = text(row.frame);
  const context = text(row.context);
  return {
    key: String(row.key),
    seq: Number(row.seq),
    data: String(row.data),
    ...(frame !== undefined && { frame }),
    ...(context !== undefined && { context }),
  };
}

/** A row of `orka_signals` as a signal. */
export function signalOf(row: SqliteRow): StoredSignal {
  const dedupeKey = text(row.dedupe_key);
  const consumedBy = text(row.consumed_by);
  return {
    id: String(row.id),
    name: String(row.name),
    payload: String(row.payload),
    ...(dedupeKey !== undefined && { dedupeKey }),
    ...(consumedBy !== undefined && { consumedBy }),
    at: Number(row.at),
  };
}

/**
 * The columns a wait is queried by: the signal it waits for, and when it is due by itself (its sleep's
 * end, or its timeout). `listDue` then reads an index rather than every waiting run's wait.
 */
export function waitColumns(wait: StoredWait | undefined): { signal: string | null; wakeAt: number | null } {
  if (wait === undefined) return { signal: null, wakeAt: null };
  if (wait.kind === 'sleep') return { signal: null, wakeAt: wait.until };
  return { signal: wait.signal, wakeAt: wait.timeoutAt ?? null };
}
