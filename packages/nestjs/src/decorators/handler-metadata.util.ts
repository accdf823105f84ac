import { HANDLER_METADATA } from '../orka.constants.js';
import type { HandlerMetadata } from '../interfaces/handler-metadata.interface.js';

/**
 * Merges one decorator's part into the method's Orka metadata. Decorators of one method apply
 * bottom-up; each adds to what the others left, so their order on the method does not matter.
 */
export function addHandlerMetadata(
  descriptor: PropertyDescriptor,
  update: (current: HandlerMetadata) => HandlerMetadata,
): void {
  const method = descriptor.value as object;
  const current = (Reflect.getOwnMetadata(HANDLER_METADATA, method) as HandlerMetadata | undefined) ?? {};
  Reflect.defineMetadata(HANDLER_METADATA, update({ ...current }), method);
}
