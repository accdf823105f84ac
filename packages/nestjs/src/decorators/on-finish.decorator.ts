import { addHandlerMetadata } from './handler-metadata.util.js';

/** Runs the method `(ctx, outcome)` on every exit of a run: completed, stopped, cancelled or failed. @publicApi */
export function OnFinish(): MethodDecorator {
  return (_target, _key, descriptor) => addHandlerMetadata(descriptor, (m) => ({ ...m, onFinish: true }));
}
