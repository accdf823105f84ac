import type { WaitForOptions } from '../../interfaces/wait-options.interface.js';
import { addHandlerMetadata } from '../handler-metadata.util.js';

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
