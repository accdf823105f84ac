import { addHandlerMetadata } from './handler-metadata.util.js';

/** Runs the method in the `after` phase of the step `name`. @publicApi */
export function After(name: string): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({ ...m, after: [...(m.after ?? []), name] }));
}
