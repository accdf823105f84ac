import type { StoredRun, StoredRunStatus, StoredSignal, StoredStep, StoredWait } from '@orka/core';

// Rows as the store's types. `bigint` columns arrive as strings (pg does not narrow them to numbers,
// as they may exceed 2^53); epoch milliseconds and fences never do. NULL columns become absent fields.

/** A row of `orka_runs`. */
export interface RunRow {
  run_id: string;
  pipeline: string;
  version: string | null;
  definition_hash: string;
  status: string;
  context: string;
  parent_run_id: string | null;
  idempotency_key: string | null;
  owner: string | null;
  lease_until: string | null;
  fence: string;
  wait: string | null;
  cancel_requested: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns a run is read with. */
export const RUN_COLUMNS = `run_id, pipeline, version, definition_hash, status, context, parent_run_id,
  idempotency_key, owner, lease_until, fence, wait, cancel_requested, error, created_at, updated_at`;

/** A row of `orka_runs` as a run. */
export function runOf(row: RunRow): StoredRun {
  return {
    runId: row.run_id,
    pipeline: row.pipeline,
    ...(row.version !== null && { version: row.version }),
    definitionHash: row.definition_hash,
    status: row.status as StoredRunStatus,
    context: row.context,
    ...(row.parent_run_id !== null && { parentRunId: row.parent_run_id }),
    ...(row.idempotency_key !== null && { idempotencyKey: row.idempotency_key }),
    ...(row.owner !== null && { owner: row.owner }),
    ...(row.lease_until !== null && { leaseUntil: Number(row.lease_until) }),
    fence: Number(row.fence),
    ...(row.wait !== null && { wait: JSON.parse(row.wait) as StoredWait }),
    ...(row.cancel_requested !== null && { cancelRequested: row.cancel_requested }),
    ...(row.error !== null && { error: JSON.parse(row.error) as StoredRun['error'] }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A row of `orka_steps` as an entry. */
export function stepOf(row: {
  key: string;
  seq: string;
  data: string;
  frame: string | null;
  context: string | null;
}): StoredStep {
  return {
    key: row.key,
    seq: Number(row.seq),
    data: row.data,
    ...(row.frame !== null && { frame: row.frame }),
    ...(row.context !== null && { context: row.context }),
  };
}

/** A row of `orka_signals` as a signal. */
export function signalOf(row: {
  id: string;
  name: string;
  payload: string;
  dedupe_key: string | null;
  consumed_by: string | null;
  at: string;
}): StoredSignal {
  return {
    id: row.id,
    name: row.name,
    payload: row.payload,
    ...(row.dedupe_key !== null && { dedupeKey: row.dedupe_key }),
    ...(row.consumed_by !== null && { consumedBy: row.consumed_by }),
    at: Number(row.at),
  };
}

/** The columns a wait is queried by: the signal it waits for, and when it is due by itself. */
export function waitColumns(wait: StoredWait | undefined): { signal: string | null; wakeAt: number | null } {
  if (wait === undefined) return { signal: null, wakeAt: null };
  if (wait.kind === 'sleep') return { signal: null, wakeAt: wait.until };
  return { signal: wait.signal, wakeAt: wait.timeoutAt ?? null };
}
