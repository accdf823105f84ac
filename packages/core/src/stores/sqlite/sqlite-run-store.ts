import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
} from '../run-store.js';
import { isEnded, pageCursor, readCursor } from '../store-rules.js';
import { GroupCommit } from './group-commit.js';
import { openSqlite, storeProblem, type SqliteDatabase } from './sqlite-driver.js';
import { applyCommit, SignalTaken } from './sqlite-commit.js';
import { runOf, signalOf, stepOf } from './sqlite-rows.js';
import { migrate } from './sqlite-schema.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';

/** Options of a `SqliteRunStore`. */
export interface SqliteRunStoreOptions {
  /** The database file (its folder is created when missing); `':memory:'` for a store in memory. */
  path: string;
  /**
   * `normal` (default) survives a killed process: a committed step is never lost to a crash of the
   * process. `full` also survives a power cut or an operating-system crash, at one fsync per commit
   * (grouped: one per batch of concurrent commits).
   */
  synchronous?: 'normal' | 'full';
  /** How long a write waits for another process's lock on the file before it fails, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * The embedded run store: one SQLite file in WAL mode, on Node's built-in `node:sqlite` (Node 22.13 or
 * later; on an older Node the constructor throws an `OrkaConfigurationError` saying what to use
 * instead). Commits that arrive together are written in one transaction (group commit). Several
 * processes may open the same file; SQLite's locking keeps their writes apart.
 *
 * ```ts
 * const store = new SqliteRunStore({ path: '.orka/runs.db' });
 * ```
 */
export class SqliteRunStore implements RunStore {
  private db: SqliteDatabase | undefined;
  private sql: SqliteStatements | undefined;
  private readonly batches = new GroupCommit(() => this.database());
  private readonly options: Required<SqliteRunStoreOptions>;

  constructor(options: SqliteRunStoreOptions) {
    this.options = { synchronous: 'normal', busyTimeoutMs: 5_000, ...options };
    // Fails at once on a Node without node:sqlite, not later at open().
    openSqlite(':memory:', 0).close();
  }

  async open(): Promise<void> {
    if (this.db !== undefined) return;
    const { path, synchronous, busyTimeoutMs } = this.options;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = openSqlite(path, busyTimeoutMs);
    try {
      // The schema first: it is also what tells a file that is not an Orka store (or no database).
      migrate(db, path);
      db.exec(`PRAGMA journal_mode = WAL`);
      db.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      this.sql = prepareStatements(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
  }

  async close(): Promise<void> {
    if (this.db === undefined) return;
    this.batches.flush();
    this.db.close();
    this.db = undefined;
    this.sql = undefined;
  }

  create(run: NewRun): Promise<{ runId: string; created: boolean }> {
    return this.batches.write(() => {
      const sql = this.sql!;
      if (run.idempotencyKey !== undefined) {
        const existing = sql.runByKey.get(run.idempotencyKey);
        if (existing) return { runId: String(existing.run_id), created: false };
      }
      if (sql.runById.get(run.runId)) return { runId: run.runId, created: false };
      const owned = run.owner !== undefined;
      sql.insertRun.run(
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
        run.now,
      );
      return { runId: run.runId, created: true };
    });
  }

  load(runId: string): Promise<LoadedRun | undefined> {
    return this.batches.read(() => this.loadNow(runId));
  }

  claim(runId: string, owner: string, leaseMs: number, now: number): Promise<Claim | undefined> {
    return this.batches.write(() => {
      const sql = this.sql!;
      const before = sql.runById.get(runId);
      if (!before) return undefined;
      const changed = sql.claim.run(owner, now + leaseMs, now, runId, owner, now).changes;
      if (Number(changed) === 0) return undefined;
      const was = runOf(before);
      const loaded = this.loadNow(runId)!;
      return {
        lease: { owner, fence: loaded.run.fence },
        loaded,
        was: {
          status: was.status,
          ...(was.owner !== undefined && { owner: was.owner }),
          ...(was.wait && { wait: was.wait }),
        },
      };
    });
  }

  renew(owner: string, leases: readonly RunLease[], leaseMs: number, now: number): Promise<string[]> {
    return this.batches.write(() =>
      leases
        .filter((l) => Number(this.sql!.renew.run(now + leaseMs, l.runId, owner, l.fence).changes) > 0)
        .map((l) => l.runId),
    );
  }

  commit(runId: string, lease: Lease, write: RunWrite): Promise<CommitResult> {
    return this.batches
      .write(() => applyCommit(this.sql!, runId, lease, write))
      .catch((err: unknown) => {
        if (err instanceof SignalTaken) return { ok: false };
        throw err;
      });
  }

  appendSignal(
    runId: string,
    signal: { name: string; payload: string; dedupeKey?: string },
    now: number,
  ): Promise<SignalOutcome> {
    return this.batches.write((): SignalOutcome => {
      const sql = this.sql!;
      const row = sql.statusOf.get(runId);
      if (!row) return 'not-found';
      if (isEnded(String(row.status) as never)) return 'finished';
      if (signal.dedupeKey !== undefined && sql.dedupe.get(runId, signal.dedupeKey)) return 'duplicate';
      sql.insertSignal.run(runId, signal.name, signal.payload, signal.dedupeKey ?? null, now);
      sql.wakeForSignal.run(now, runId, signal.name);
      return 'appended';
    });
  }

  requestCancel(runId: string, reason: string, now: number): Promise<CancelOutcome> {
    return this.batches.write((): CancelOutcome => {
      const sql = this.sql!;
      const row = sql.statusOf.get(runId);
      if (!row) return 'not-found';
      if (isEnded(String(row.status) as never)) return 'finished';
      sql.requestCancel.run(reason, now, now, runId);
      return 'requested';
    });
  }

  list(filter: RunFilter): Promise<RunPage> {
    return this.batches.read(() => {
      const limit = filter.limit ?? 50;
      const after = readCursor(filter.cursor);
      const rows = this.sql!.page.all(
        filter.pipeline ?? null,
        filter.status ?? null,
        after?.createdAt ?? null,
        after?.runId ?? null,
        limit + 1,
      );
      const runs = rows.slice(0, limit).map(runOf);
      return { runs, ...(rows.length > limit && { cursor: pageCursor(runs[runs.length - 1]!) }) };
    });
  }

  listDue(now: number, options: { limit: number; definitionHashes?: readonly string[] }): Promise<string[]> {
    return this.batches.read(() => {
      const hashes = options.definitionHashes === undefined ? null : JSON.stringify(options.definitionHashes);
      return this.sql!.due.all(now, hashes, options.limit).map((row) => String(row.run_id));
    });
  }

  prune(before: number): Promise<number> {
    return this.batches.write(() => {
      const sql = this.sql!;
      sql.pruneSteps.run(before);
      sql.pruneSignals.run(before);
      return Number(sql.pruneRuns.run(before).changes);
    });
  }

  private loadNow(runId: string): LoadedRun | undefined {
    const sql = this.sql!;
    const row = sql.runById.get(runId);
    if (!row) return undefined;
    return {
      run: runOf(row),
      steps: sql.stepsOf.all(runId).map(stepOf),
      signals: sql.signalsOf.all(runId).map(signalOf),
    };
  }

  private database(): SqliteDatabase {
    if (this.db === undefined) throw storeProblem('the store is not open: await store.open() first.');
    return this.db;
  }
}
