import type { SkipPredicate } from '@orka/core';
import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * Skips the method's step when `predicate` is true just before it; the step's record gives `label`
 * as the reason. Synchronous, so that `runner.plan()` can evaluate it.
 * @publicApi
 */
export function SkipIf<C>(predicate: SkipPredicate<C>, label?: string): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({
      ...m,
      skipIf: { predicate: predicate as SkipPredicate<never>, label },
    }));
}
