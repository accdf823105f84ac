import type { StepDecoratorOptions } from '../interfaces/step-options.interface.js';
import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * Makes the method a handler of the step `name` (its `on` phase). Several methods may share a step:
 * without `@When`/`@Otherwise` they run in declaration order; with them they are the step's branches.
 * `options` (`onNoMatch`, `retry`, `timeoutMs`, `after`) go on one of the step's methods, any one.
 * @publicApi
 */
export function Step(name: string, options?: StepDecoratorOptions): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({ ...m, step: { name, options } }));
}
