import { addHandlerMetadata } from './handler-metadata.util.js';

/** Runs the method in the `before` phase of the step `name`. @publicApi */
export function Before(name: string): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({ ...m, before: [...(m.before ?? []), name] }));
}
