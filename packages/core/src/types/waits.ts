import type { StepRun } from './step-run.js';

/** Options of a wait for a signal (W1, W4). */
export interface AwaitSignalOptions<C, P = unknown> {
  /** How long the run waits for the signal, in ms, from when it first reaches the wait; no limit when absent. */
  timeoutMs?: number;
  /** What a wait that times out does: fail the run with `SignalTimeoutError` (default), or go on without a payload. */
  onTimeout?: 'fail' | 'continue';
  /**
   * Writes the signal's payload (the JSON value it was sent with) into the context, before the step's
   * handlers run; `run` is the step's, as its handlers get it.
   */
  merge?: (ctx: C, payload: P, run: StepRun) => void | Promise<void>;
}

/** How long a sleep lasts (W3): milliseconds, a point in time, or either computed from the context. */
export type SleepDuration<C> = number | Date | ((ctx: C) => number | Date);

/** What a step waits for before its handlers run: a signal, or a time (W1, W3). */
export type WaitDefinition<C> =
  | ({ kind: 'signal'; signal: string } & AwaitSignalOptions<C>)
  | { kind: 'sleep'; duration: SleepDuration<C> };
