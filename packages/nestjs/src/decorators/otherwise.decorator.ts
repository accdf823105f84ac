import { addHandlerMetadata } from './handler-metadata.util.js';

/** Makes a `@Step` method the branch taken when none of the step's `@When` branches matches. @publicApi */
export function Otherwise(): MethodDecorator {
  return (_target, _key, descriptor) => addHandlerMetadata(descriptor, (m) => ({ ...m, otherwise: true }));
}
