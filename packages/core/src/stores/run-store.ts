// The contract between a `DurableRunner` and the database that keeps its runs (D1-D9, W1-W5). A store
// for another database implements `RunStore`; `checkRunStore` (`@orka/core/testing`) checks one.
// Everything a store keeps is JSON text or plain numbers: it never sees a handler or a class.

/** Where a durable run is. `running` runs are executed by the owner of their lease, if any. */
export type StoredRunStatus = 'running' | 'waiting' | 'completed' | 'stopped' | 'cancelled' | 'failed';

/** An error as a store keeps it: what survives a process (the stack stays in that process's log). */
export interface StoredError {
  name: string;
  code?: string;
  message: string;
  /** The step it was thrown in (the innermost, for errors of sub-runs). */
  step: string;
  /** The pipeline it was thrown in. */
  pipeline?: string;
}

/** What a waiting run waits for (W1, W3). */
export type StoredWait =
  | { kind: 'signal'; signal: string; step: string; timeoutAt?: number }
  | { kind: 'sleep'; step: string; until: number };

/** A run as a store keeps it (without its steps and signals). */
export interface StoredRun {
  runId: string;
  pipeline: string;
  version?: string;
  definitionHash: string;
  status: StoredRunStatus;
  /** The run's context as the last commit left it (JSON text, from the pipeline's codec). */
  context: string;
  parentRunId?: string;
  idempotencyKey?: string;
  /** Who executes the run now, and until when (epoch ms); absent when nobody does. */
  owner?: string;
  leaseUntil?: number;
  /** Raised by every claim: a write under an older fence is refused (D4). */
  fence: number;
  wait?: StoredWait;
  /** Why a cancellation was asked for; the owner ends the run cancelled at its next step boundary (D7). */
  cancelRequested?: string;
  error?: StoredError;
  createdAt: number;
  updatedAt: number;
}

/** One committed entry of a run: a step's record, a branch choice, a retry, a compensation, a finisher mark. */
export interface StoredStep {
  /** The entry's path in the run, unique per run: `charge`, `determine_provisioning/premium/allocate`, `charge@attempts`. */
  key: string;
  /** The order of commits within the run (the store assigns it). */
  seq: number;
  /** The entry itself, as JSON text (a step record, a branch id, an attempt count). */
  data: string;
  /** The context (JSON text) of the run or sub-run the entry belongs to, after it; absent when unchanged. */
  frame?: string;
  context?: string;
}

/** A signal sent to a run (W2). */
export interface StoredSignal {
  id: string;
  name: string;
  /** JSON text. */
  payload: string;
  dedupeKey?: string;
  /** The key of the step that consumed it; absent while it waits to be consumed. */
  consumedBy?: string;
  at: number;
}

/** A run with everything a runner needs to resume it. */
export interface LoadedRun {
  run: StoredRun;
  /** In commit order. */
  steps: StoredStep[];
  signals: StoredSignal[];
}

/** The right to write to a run: its owner and the fence of the claim (D4). */
export interface Lease {
  owner: string;
  fence: number;
}

/** One run's lease, as `renew` takes them. */
export interface RunLease {
  runId: string;
  fence: number;
}

/** A run taken by a claim: the lease, the run as it now is, and what it was before (for the events, D8). */
export interface Claim {
  lease: Lease;
  loaded: LoadedRun;
  was: { status: StoredRunStatus; owner?: string; wait?: StoredWait };
}

/** A new run (D1). */
export interface NewRun {
  runId: string;
  pipeline: string;
  version?: string;
  definitionHash: string;
  context: string;
  parentRunId?: string;
  idempotencyKey?: string;
  /** The process that executes it at once, with its lease; absent when a worker will claim it. */
  owner?: string;
  leaseMs?: number;
  now: number;
}

/** What one commit writes, all or nothing, under a lease (D2). */
export interface RunWrite {
  /** Entries to add or replace (by key). */
  steps?: Omit<StoredStep, 'seq'>[];
  /** The root context after the write. */
  context?: string;
  /** A signal this write consumes, by id (W2). */
  consumeSignal?: { id: string; by: string };
  /** A new status: `waiting` suspends (with `wait`), a final one ends the run (with `error` for `failed`). */
  status?: StoredRunStatus;
  wait?: StoredWait;
  error?: StoredError;
  /** Gives the lease up with the write (suspending and ending do so anyway). */
  release?: boolean;
  now: number;
}

/** What a commit says back. */
export interface CommitResult {
  /** False when the lease has passed to another owner, or the run has ended: nothing was written. */
  ok: boolean;
  /** Set when someone asked for the run's cancellation (D7). */
  cancelRequested?: string;
  /** For a write that suspends: a signal it waits for, or its time, is already there: resume at once. */
  wakeNow?: boolean;
}

/** A filter of `list`. */
export interface RunFilter {
  pipeline?: string;
  status?: StoredRunStatus;
  /** At most this many runs (default 50). */
  limit?: number;
  /** Where the previous page ended (`cursor` of its result). */
  cursor?: string;
}

/** A page of runs, newest first. */
export interface RunPage {
  runs: StoredRun[];
  /** Pass it as `cursor` for the next page; absent on the last. */
  cursor?: string;
}

/** What `appendSignal` did. */
export type SignalOutcome = 'appended' | 'duplicate' | 'not-found' | 'finished';

/** What `requestCancel` did. */
export type CancelOutcome = 'requested' | 'not-found' | 'finished';

/**
 * A database of durable runs. Every write under a lease is refused once the lease has passed to
 * another owner (a higher fence). Times are epoch milliseconds given by the caller, so that a store
 * never reads a clock of its own.
 */
export interface RunStore {
  /** Creates the tables on first use (versioned migrations), or checks them. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Creates a run; with an idempotency key already used, creates nothing and returns that run's id (D1). */
  create(run: NewRun): Promise<{ runId: string; created: boolean }>;
  load(runId: string): Promise<LoadedRun | undefined>;
  /**
   * Takes a run for `owner` when it is not ended and nobody else holds a live lease on it: raises the
   * fence and returns the new lease and the run; undefined when it cannot be had.
   */
  claim(runId: string, owner: string, leaseMs: number, now: number): Promise<Claim | undefined>;
  /**
   * Extends the leases `owner` holds on these runs (each with the fence of its claim), in one write
   * however many runs a process executes; returns the ids of the runs whose lease it still held, and
   * extended. A run missing from the answer has passed to another owner, or ended.
   */
  renew(owner: string, leases: readonly RunLease[], leaseMs: number, now: number): Promise<string[]>;
  /** Writes under a lease (D2): entries, context, a consumed signal, a status. */
  commit(runId: string, lease: Lease, write: RunWrite): Promise<CommitResult>;
  /** Adds a signal for a run (W2); a repeated `dedupeKey` is a no-op. */
  appendSignal(
    runId: string,
    signal: { name: string; payload: string; dedupeKey?: string },
    now: number,
  ): Promise<SignalOutcome>;
  /** Asks for a run's cancellation (D7). */
  requestCancel(runId: string, reason: string, now: number): Promise<CancelOutcome>;
  list(filter: RunFilter): Promise<RunPage>;
  /**
   * The runs that need an owner now: running ones whose lease expired (or that have none), waiting ones
   * whose time has come, or whose signal has arrived, or whose cancellation was asked for. Only runs of
   * the given definition hashes, when given (D5).
   */
  listDue(now: number, options: { limit: number; definitionHashes?: readonly string[] }): Promise<string[]>;
  /** Deletes ended runs last updated before `before`; returns how many. */
  prune(before: number): Promise<number>;
}
