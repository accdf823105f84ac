import type { StoredRun, StoredRunStatus, StoredSignal } from './run-store.js';

// The rules every store applies the same way, whatever its database: what counts as ended, when a run
// needs an owner, how a page of runs continues. A store that queries its database for them (SQL) says
// the same thing in its own terms; `checkRunStore` checks that it does.

/** Whether a run has ended: nothing more is ever written to it. */
export function isEnded(status: StoredRunStatus): boolean {
  return status !== 'running' && status !== 'waiting';
}

/** Whether a waiting run can go on now: its time has come, its signal is there, or it is to be cancelled. */
export function wakesNow(run: StoredRun, signals: readonly StoredSignal[], now: number): boolean {
  if (run.cancelRequested !== undefined) return true;
  const wait = run.wait;
  if (wait === undefined) return true;
  if (wait.kind === 'sleep') return wait.until <= now;
  if (wait.timeoutAt !== undefined && wait.timeoutAt <= now) return true;
  return signals.some((s) => s.name === wait.signal && s.consumedBy === undefined);
}

/** Whether a run needs an owner now (D4, W1-W4). */
export function isDue(run: StoredRun, signals: readonly StoredSignal[], now: number): boolean {
  if (run.status === 'running') return run.owner === undefined || (run.leaseUntil ?? 0) <= now;
  return run.status === 'waiting' && wakesNow(run, signals, now);
}

/** The cursor after a run: runs are listed newest first, ties by run id. */
export function pageCursor(run: StoredRun): string {
  return Buffer.from(JSON.stringify([run.createdAt, run.runId])).toString('base64url');
}

/** The position a cursor stands for; undefined for none (the first page) or one this store did not make. */
export function readCursor(cursor: string | undefined): { createdAt: number; runId: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, runId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      number,
      string,
    ];
    return typeof createdAt === 'number' && typeof runId === 'string' ? { createdAt, runId } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rules every run store applies the same way, for authors of stores for other databases: what
 * counts as ended, when a run is due, and the cursor format of `list` pages.
 */
export const runStoreRules = { isEnded, wakesNow, isDue, pageCursor, readCursor } as const;
