import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * Makes the method the compensation of the step `name`: when a later step fails the run, the
 * compensations of the completed steps run in reverse order.
 * @publicApi
 */
export function Compensate(name: string): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({ ...m, compensate: [...(m.compensate ?? []), name] }));
}
