import type { RunResult } from './records.js';

/**
 * When a fan-out counts as successful (K14): `collectAll` (default) always, unless cancelled;
 * `failFast` stops starting items at the first failure and fails; `requireAll` needs every item
 * completed; `{ atLeast: n }` needs n completed.
 */
export type FanOutPolicy = 'collectAll' | 'failFast' | 'requireAll' | { atLeast: number };

/** Options of `run.fanOut`. */
export interface FanOutOptions {
  /** Default `collectAll`. */
  policy?: FanOutPolicy;
  /** How many sub-runs at once at most; default: all. */
  concurrency?: number;
}

/** One item's result, in input order. */
export interface FanOutItemResult<S> {
  status: 'completed' | 'stopped' | 'failed' | 'cancelled' | 'not-started';
  /** The sub-run's result, for a completed, stopped or cancelled item. */
  result?: RunResult<S>;
  /** What the sub-run threw, for a failed item. */
  error?: unknown;
}
