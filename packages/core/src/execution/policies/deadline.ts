import { RunTimeoutError } from '../../errors/timeout-errors.js';

/**
 * The whole-run budget of `deadlineMs` (R2): a signal that aborts at the deadline (or when the
 * caller's signal aborts), and a promise that rejects with {@link RunTimeoutError} at the deadline,
 * which the executor races every step against so that the run settles without waiting for handlers
 * that ignore their signal.
 */
export class RunDeadline {
  /** Aborts at the deadline with the RunTimeoutError, or with the caller's reason when it aborts first. */
  readonly signal: AbortSignal;
  /** Rejects with the RunTimeoutError at the deadline; never resolves. */
  readonly expired: Promise<never>;
  /** The error, once the deadline has passed. */
  error: RunTimeoutError | undefined;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly unlink: () => void;

  constructor(
    pipeline: string,
    budgetMs: number,
    outer: AbortSignal | undefined,
    runningStep: () => string | undefined,
  ) {
    this.signal = this.controller.signal;
    this.unlink = linkAbort(outer, this.controller);
    let reject!: (err: unknown) => void;
    this.expired = new Promise<never>((_, r) => (reject = r));
    // Nobody may be racing against it when it fires (between steps, in finishers).
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      this.error = new RunTimeoutError(pipeline, runningStep(), budgetMs);
      this.controller.abort(this.error);
      reject(this.error);
    }, budgetMs);
  }

  /** Stops the timer and detaches from the caller's signal once the run is over. */
  dispose(): void {
    clearTimeout(this.timer);
    this.unlink();
  }
}

/** Makes `inner` abort (with the same reason) when `outer` does; returns the function that undoes the link. */
export function linkAbort(outer: AbortSignal | undefined, inner: AbortController): () => void {
  if (outer === undefined) return noop;
  if (outer.aborted) {
    inner.abort(outer.reason);
    return noop;
  }
  const onAbort = () => inner.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  return () => outer.removeEventListener('abort', onAbort);
}

function noop(): void {}
