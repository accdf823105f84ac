import type {
  CancelOutcome,
  Claim,
  CommitResult,
  Lease,
  LoadedRun,
  NewRun,
  RunFilter,
  RunLease,
  RunPage,
  RunStore,
  RunWrite,
  SignalOutcome,
} from '@orka/core';
import { runStoreRules } from '@orka/core';
import pg from 'pg';
import { applyCommit, inTransaction, SignalTaken } from './postgres-commit.js';
import { dueRuns, loadRun, pageOfRuns, pruneRuns, withEntries } from './postgres-reads.js';
import { RUN_COLUMNS, type RunRow } from './postgres-rows.js';
import { migrate, storeProblem } from './postgres-schema.js';

/** Options of a `PostgresRunStore`: a connection string (the store owns its pool) or a pool of yours. */
export type PostgresRunStoreOptions = (
  | {
      /** `postgres://user@host:5432/db`; the store makes a pool, and ends it at `close()`. */
      connectionString: string;
      /** The pool's size (default 10). */
      max?: number;
    }
  | {
      /** A pool the application owns: the store uses it, and leaves it open at `close()`. */
      pool: pg.Pool;
    }
) & {
  /** The PostgreSQL schema of the store's tables (default `orka`); created when missing. */
  schema?: string;
};

/**
 * The production run store, on PostgreSQL through `pg`. Creates its tables on first use (versioned
 * migrations, safe from several processes at once). Each write is one transaction that locks the
 * run's row, so that any number of processes can share the store: PostgreSQL groups the WAL flushes
 * of concurrent commits.
 *
 * ```ts
 * const store = new PostgresRunStore({ connectionString: process.env.DATABASE_URL! });
 * ```
 */
export class PostgresRunStore implements RunStore {
  private pool: pg.Pool | undefined;
  private readonly owned: boolean;
  private readonly s: string;
  private opened: Promise<void> | undefined;

  constructor(private readonly options: PostgresRunStoreOptions) {
    const schema = options.schema ?? 'orka';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw storeProblem(`the schema name "${schema}" is not a plain lower-case SQL identifier.`);
    this.s = schema;
    this.owned = !('pool' in options);
  }

  open(): Promise<void> {
    this.opened ??= this.openNow().catch((err: unknown) => {
      this.opened = undefined;
      throw err;
    });
    return this.opened;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.opened = undefined;
    if (pool && this.owned) await pool.end();
  }

  async create(run: NewRun): Promise<{ runId: string; created: boolean }> {
    const owned = run.owner !== undefined;
    const inserted = await this.db().query(
      `INSERT INTO ${this.s}.orka_runs (run_id, pipeline, version, definition_hash, status, context,
         parent_run_id, idempotency_key, owner, lease_until, fence, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT DO NOTHING`,
      [
        run.runId,
        run.pipeline,
        run.version ?? null,
        run.definitionHash,
        run.context,
        run.parentRunId ?? null,
        run.idempotencyKey ?? null,
        run.owner ?? null,
        owned ? run.now + (run.leaseMs ?? 0) : null,
        owned ? 1 : 0,
        run.now,
      ],
    );
    if (inserted.rowCount === 1) return { runId: run.runId, created: true };
    const existing = await this.db().query<{ run_id: string }>(
      `SELECT run_id FROM ${this.s}.orka_runs WHERE idempotency_key = $1 OR run_id = $2
       ORDER BY (idempotency_key = $1) DESC LIMIT 1`,
      [run.idempotencyKey ?? null, run.runId],
    );
    return { runId: existing.rows[0]?.run_id ?? run.runId, created: false };
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    return loadRun(this.db(), this.s, runId);
  }

  list(filter: RunFilter): Promise<RunPage> {
    return pageOfRuns(this.db(), this.s, filter);
  }

  listDue(now: number, options: { limit: number; definitionHashes?: readonly string[] }): Promise<string[]> {
    return dueRuns(this.db(), this.s, now, options);
  }

  prune(before: number): Promise<number> {
    return pruneRuns(this.db(), this.s, before);
  }

  async claim(runId: string, owner: string, leaseMs: number, now: number): Promise<Claim | undefined> {
    // The CTE reads the row as it was before the update (and locks it): what `was` reports.
    const row = (
      await this.db().query<
        RunRow & { was_status: string; was_owner: string | null; was_wait: string | null }
      >(
        `WITH before AS (SELECT status, owner, wait FROM ${this.s}.orka_runs WHERE run_id = $1 FOR UPDATE)
         UPDATE ${this.s}.orka_runs r SET owner = $2, lease_until = $3, fence = r.fence + 1, status = 'running',
           wait = NULL, wait_signal = NULL, wake_at = NULL, updated_at = $4
         FROM before
         WHERE r.run_id = $1 AND r.status IN ('running', 'waiting')
           AND (r.owner IS NULL OR r.owner = $2 OR r.lease_until IS NULL OR r.lease_until <= $4)
         RETURNING ${RUN_COLUMNS.replace(/(\w+)/g, 'r.$1')}, before.status AS was_status,
           before.owner AS was_owner, before.wait AS was_wait`,
        [runId, owner, now + leaseMs, now],
      )
    ).rows[0];
    if (row === undefined) return undefined;
    const loaded = await withEntries(this.db(), this.s, row);
    return {
      lease: { owner, fence: loaded.run.fence },
      loaded,
      was: {
        status: row.was_status as LoadedRun['run']['status'],
        ...(row.was_owner !== null && { owner: row.was_owner }),
        ...(row.was_wait !== null && { wait: JSON.parse(row.was_wait) as NonNullable<Claim['was']['wait']> }),
      },
    };
  }

  async renew(owner: string, leases: readonly RunLease[], leaseMs: number, now: number): Promise<string[]> {
    if (leases.length === 0) return [];
    const renewed = await this.db().query<{ run_id: string }>(
      `UPDATE ${this.s}.orka_runs r SET lease_until = $1
       FROM unnest($3::text[], $4::bigint[]) AS l(run_id, fence)
       WHERE r.run_id = l.run_id AND r.fence = l.fence AND r.owner = $2 AND r.status IN ('running', 'waiting')
       RETURNING r.run_id`,
      [now + leaseMs, owner, leases.map((l) => l.runId), leases.map((l) => l.fence)],
    );
    return renewed.rows.map((r) => r.run_id);
  }

  commit(runId: string, lease: Lease, write: RunWrite): Promise<CommitResult> {
    return inTransaction(this.db(), (client) => applyCommit(client, this.s, runId, lease, write)).catch(
      (err: unknown) => {
        if (err instanceof SignalTaken) return { ok: false };
        throw err;
      },
    );
  }

  appendSignal(
    runId: string,
    signal: { name: string; payload: string; dedupeKey?: string },
    now: number,
  ): Promise<SignalOutcome> {
    return inTransaction(this.db(), async (client): Promise<SignalOutcome> => {
      // The run's row lock orders this signal against a commit that suspends the run on it.
      const row = (
        await client.query<{ status: string }>(
          `SELECT status FROM ${this.s}.orka_runs WHERE run_id = $1 FOR UPDATE`,
          [runId],
        )
      ).rows[0];
      if (row === undefined) return 'not-found';
      if (runStoreRules.isEnded(row.status as never)) return 'finished';
      const inserted = await client.query(
        `INSERT INTO ${this.s}.orka_signals (run_id, name, payload, dedupe_key, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [runId, signal.name, signal.payload, signal.dedupeKey ?? null, now],
      );
      if (inserted.rowCount === 0) return 'duplicate';
      await client.query(
        `UPDATE ${this.s}.orka_runs SET wake_at = $1 WHERE run_id = $2 AND status = 'waiting' AND wait_signal = $3`,
        [now, runId, signal.name],
      );
      return 'appended';
    });
  }

  async requestCancel(runId: string, reason: string, now: number): Promise<CancelOutcome> {
    const asked = await this.db().query(
      `UPDATE ${this.s}.orka_runs SET cancel_requested = COALESCE(cancel_requested, $2), updated_at = $3,
         wake_at = CASE WHEN status = 'waiting' THEN $3 ELSE wake_at END
       WHERE run_id = $1 AND status IN ('running', 'waiting')`,
      [runId, reason, now],
    );
    if (asked.rowCount === 1) return 'requested';
    const known = await this.db().query(`SELECT 1 FROM ${this.s}.orka_runs WHERE run_id = $1`, [runId]);
    return known.rowCount === 0 ? 'not-found' : 'finished';
  }

  private async openNow(): Promise<void> {
    const pool =
      'pool' in this.options
        ? this.options.pool
        : new pg.Pool({ connectionString: this.options.connectionString, max: this.options.max ?? 10 });
    try {
      const client = await pool.connect();
      try {
        await migrate(client, this.s);
      } finally {
        client.release();
      }
    } catch (err) {
      if (this.owned) await pool.end().catch(() => undefined);
      throw err;
    }
    this.pool = pool;
  }

  private db(): pg.Pool {
    if (this.pool === undefined) throw storeProblem('the store is not open: await store.open() first.');
    return this.pool;
  }
}
