import type { Condition } from '@orka/core';
import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * Makes a `@Step` method a branch of its step, taken when `predicate` (sync or async) is true. Branches
 * are tested in declaration order; the first match wins. Stacking `@When` on one method means all of
 * its predicates must hold.
 * @publicApi
 */
export function When<C>(predicate: Condition<C>): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({
      ...m,
      when: [...(m.when ?? []), predicate as Condition<never>],
    }));
}
