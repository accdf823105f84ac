import type { RetryPolicy } from '@orka/core';

/** Options of `@Step(name, options)`; give them on one of the step's methods, any one. */
export interface StepDecoratorOptions {
  /** What a conditional step does when no `@When` matches and there is no `@Otherwise` (default `'continue'`). */
  onNoMatch?: 'continue' | 'stop' | 'fail';
  /** Retries of the step when it throws. */
  retry?: RetryPolicy;
  /** The step's time budget in milliseconds. */
  timeoutMs?: number;
  /** The steps this one waits for; by default the step declared before it. */
  after?: string[];
  /** A failure of the step (after its last attempt) is recorded as `failed` and the run goes on. */
  continueOnError?: boolean;
}
