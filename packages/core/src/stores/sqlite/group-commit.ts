import type { SqliteDatabase } from './sqlite-driver.js';

/** One operation of a batch: runs inside the batch's transaction, in a savepoint of its own. */
interface Operation<T> {
  write: boolean;
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  /** Filled in when `work` ran; handed out only once the batch's transaction has committed. */
  outcome?: { ok: true; value: T } | { ok: false; error: unknown };
}

/**
 * Group commit over a synchronous SQLite connection: every operation asked for while the event loop
 * was busy runs in one transaction, so that one fsync (with `synchronous = full`) or one WAL append
 * (`normal`) covers the commits of many concurrent runs instead of one each. Each operation runs in
 * a savepoint: one that throws is rolled back alone, and the others of its batch still commit. A
 * promise resolves only after the transaction that holds its operation has committed.
 */
export class GroupCommit {
  private queue: Operation<unknown>[] = [];
  private scheduled = false;

  constructor(private readonly db: () => SqliteDatabase) {}

  /** Queues a write (it takes the database's write lock). */
  write<T>(work: () => T): Promise<T> {
    return this.enqueue(true, work);
  }

  /** Queues a read; it sees every write queued before it. */
  read<T>(work: () => T): Promise<T> {
    return this.enqueue(false, work);
  }

  /** Runs what is queued now (used by `close`, which must not leave operations behind). */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    if (batch.length > 0) this.run(batch);
  }

  private enqueue<T>(write: boolean, work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, work, resolve, reject } as Operation<unknown>);
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate rather than a microtask: the commits of every run whose step ended in this turn
      // of the event loop are queued by then, and go in together.
      setImmediate(() => this.flush());
    });
  }

  private run(batch: Operation<unknown>[]): void {
    let db: SqliteDatabase;
    try {
      db = this.db();
    } catch (error) {
      for (const op of batch) op.reject(error);
      return;
    }
    const writes = batch.some((op) => op.write);
    try {
      // IMMEDIATE takes the write lock up front, so that a batch never fails half-way on a lock that
      // another process took between its reads and its writes; SQLite's busy timeout waits for it.
      db.exec(writes ? 'BEGIN IMMEDIATE' : 'BEGIN');
    } catch (error) {
      for (const op of batch) op.reject(error);
      return;
    }
    for (const op of batch) {
      db.exec('SAVEPOINT orka_op');
      try {
        op.outcome = { ok: true, value: op.work() };
        db.exec('RELEASE orka_op');
      } catch (error) {
        db.exec('ROLLBACK TO orka_op');
        db.exec('RELEASE orka_op');
        op.outcome = { ok: false, error };
      }
    }
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      for (const op of batch) op.reject(error);
      return;
    }
    for (const op of batch) {
      const outcome = op.outcome!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.error);
    }
  }
}
