import type { Type } from '@nestjs/common';

/** Options of `@WaitFor`. */
export interface WaitForOptions {
  /** How long the run waits, in ms, from when it first reaches the step; no limit when absent (W4). */
  timeoutMs?: number;
  /** What a wait that times out does: fail the run with `SignalTimeoutError` (default), or go on. */
  onTimeout?: 'fail' | 'continue';
  /**
   * The class of the signal's payload: `runner.signal()` validates the payload into it, as a run's
   * input is validated (N4), and refuses an invalid one with `OrkaValidationError` (400) while the run
   * keeps waiting. The method gets an instance of it.
   */
  payload?: Type<object>;
}
