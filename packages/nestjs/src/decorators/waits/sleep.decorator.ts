import type { SleepDuration } from '@orka/core';
import { addHandlerMetadata } from '../handler-metadata.util.js';

/**
 * Makes the method's step sleep first (W3, N11): a durable run suspends there, holding nothing, for
 * `duration` (ms, a `Date`, or either computed from the context), and the method runs when the time is
 * up, in whichever process takes the run up then. The pipeline must be durable.
 *
 * ```ts
 * @Step('follow_up')
 * @Sleep((ctx: SignupContext) => ctx.followUpMs)
 * followUp(ctx: SignupContext) { ... }
 * ```
 * @publicApi
 */
export function Sleep<C>(duration: SleepDuration<C>): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({
      ...m,
      wait: { kind: 'sleep', duration: duration as SleepDuration<never> },
    }));
}
