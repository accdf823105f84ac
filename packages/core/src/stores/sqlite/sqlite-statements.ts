import type { SqliteDatabase, SqliteStatement } from './sqlite-driver.js';

/** The columns of `orka_runs` a run is read with. */
const RUN = `run_id, pipeline, version, definition_hash, status, context, parent_run_id, idempotency_key,
  owner, lease_until, fence, wait, cancel_requested, error, created_at, updated_at`;

/** Statuses that end a run, for SQL. */
const ENDED = `('completed', 'stopped', 'cancelled', 'failed')`;

/** Every statement the SQLite store runs, prepared once when it opens. */
export function prepareStatements(db: SqliteDatabase) {
  const s = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    runById: s(`SELECT ${RUN} FROM orka_runs WHERE run_id = ?`),
    runByKey: s(`SELECT run_id FROM orka_runs WHERE idempotency_key = ?`),
    insertRun: s(
      `INSERT INTO orka_runs (run_id, pipeline, version, definition_hash, status, context, parent_run_id,
         idempotency_key, owner, lease_until, fence, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    stepsOf: s(`SELECT key, seq, data, frame, context FROM orka_steps WHERE run_id = ? ORDER BY seq`),
    signalsOf: s(
      `SELECT id, name, payload, dedupe_key, consumed_by, at FROM orka_signals WHERE run_id = ? ORDER BY id`,
    ),
    claim: s(
      `UPDATE orka_runs SET owner = ?, lease_until = ?, fence = fence + 1, status = 'running', wait = NULL,
         wait_signal = NULL, wake_at = NULL, updated_at = ?
       WHERE run_id = ? AND status NOT IN ${ENDED}
         AND (owner IS NULL OR owner = ? OR lease_until IS NULL OR lease_until <= ?)`,
    ),
    renew: s(
      `UPDATE orka_runs SET lease_until = ?
       WHERE run_id = ? AND owner = ? AND fence = ? AND status NOT IN ${ENDED}`,
    ),
    holding: s(
      `SELECT seq, cancel_requested FROM orka_runs
       WHERE run_id = ? AND owner = ? AND fence = ? AND status NOT IN ${ENDED}`,
    ),
    consumeSignal: s(
      `UPDATE orka_signals SET consumed_by = ? WHERE run_id = ? AND id = ? AND consumed_by IS NULL`,
    ),
    upsertStep: s(
      `INSERT INTO orka_steps (run_id, key, seq, data, frame, context) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key) DO UPDATE SET seq = excluded.seq, data = excluded.data,
         frame = excluded.frame, context = excluded.context`,
    ),
    updateRun: s(
      `UPDATE orka_runs SET seq = ?, context = COALESCE(?, context), status = COALESCE(?, status),
         updated_at = ?, error = COALESCE(?, error) WHERE run_id = ?`,
    ),
    setWait: s(`UPDATE orka_runs SET wait = ?, wait_signal = ?, wake_at = ? WHERE run_id = ?`),
    releaseLease: s(`UPDATE orka_runs SET owner = NULL, lease_until = NULL WHERE run_id = ?`),
    unconsumed: s(`SELECT 1 FROM orka_signals WHERE run_id = ? AND name = ? AND consumed_by IS NULL LIMIT 1`),
    statusOf: s(`SELECT status FROM orka_runs WHERE run_id = ?`),
    dedupe: s(`SELECT 1 FROM orka_signals WHERE run_id = ? AND dedupe_key = ?`),
    insertSignal: s(
      `INSERT INTO orka_signals (run_id, name, payload, dedupe_key, at) VALUES (?, ?, ?, ?, ?)`,
    ),
    // A waiting run whose signal arrives, or whose cancellation is asked for, is due now: its wake time
    // says so, and `listDue` reads only that (an index) rather than every waiting run's signals.
    wakeForSignal: s(
      `UPDATE orka_runs SET wake_at = ? WHERE run_id = ? AND status = 'waiting' AND wait_signal = ?`,
    ),
    requestCancel: s(
      `UPDATE orka_runs SET cancel_requested = COALESCE(cancel_requested, ?), updated_at = ?,
         wake_at = CASE WHEN status = 'waiting' THEN ? ELSE wake_at END WHERE run_id = ?`,
    ),
    page: s(
      `SELECT ${RUN} FROM orka_runs
       WHERE (?1 IS NULL OR pipeline = ?1) AND (?2 IS NULL OR status = ?2)
         AND (?3 IS NULL OR created_at < ?3 OR (created_at = ?3 AND run_id < ?4))
       ORDER BY created_at DESC, run_id DESC LIMIT ?5`,
    ),
    due: s(
      `SELECT run_id FROM orka_runs
       WHERE ((status = 'running' AND (lease_until IS NULL OR lease_until <= ?1))
           OR (status = 'waiting' AND wake_at <= ?1))
         AND (?2 IS NULL OR definition_hash IN (SELECT value FROM json_each(?2)))
       LIMIT ?3`,
    ),
    pruneSteps: s(
      `DELETE FROM orka_steps WHERE run_id IN
         (SELECT run_id FROM orka_runs WHERE status IN ${ENDED} AND updated_at < ?)`,
    ),
    pruneSignals: s(
      `DELETE FROM orka_signals WHERE run_id IN
         (SELECT run_id FROM orka_runs WHERE status IN ${ENDED} AND updated_at < ?)`,
    ),
    pruneRuns: s(`DELETE FROM orka_runs WHERE status IN ${ENDED} AND updated_at < ?`),
  };
}

/** The prepared statements of an open store. */
export type SqliteStatements = ReturnType<typeof prepareStatements>;
