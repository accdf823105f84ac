import type { Type } from '@nestjs/common';
import { addHandlerMetadata } from '../handler-metadata.util.js';

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

/**
 * Makes the method's step wait for the signal `signal` (W1, N11): a durable run suspends there,
 * holding nothing, until `runner.signal(runId, signal, payload)`; the method then runs with the
 * context and the payload, and the run goes on. The pipeline must be durable.
 *
 * ```ts
 * @Step('approval')
 * @WaitFor('approved', { timeoutMs: 86_400_000, payload: ApprovalDto })
 * approve(ctx: CheckoutContext, payload: ApprovalDto) { ctx.approvedBy = payload.by; }
 * ```
 * @publicApi
 */
export function WaitFor(signal: string, options: WaitForOptions = {}): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({ ...m, wait: { kind: 'signal', signal, ...options } }));
}
