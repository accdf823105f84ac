import { Allow } from 'class-validator';
import { STATE_PROPERTIES_METADATA } from '../orka.constants.js';

/**
 * Marks a property of a context class as state: written by the pipeline's steps, never accepted from
 * a run's input. A run whose input sets it is rejected with `OrkaValidationError` (400 over HTTP);
 * the property needs no validation decorator of its own, and the checks of undeclared properties let
 * it through once a step has set it.
 *
 * ```ts
 * export class SignupContext {
 *   @IsEmail() email!: string;
 *   @State() userId?: string;
 * }
 * ```
 * @publicApi
 */
export function State(): PropertyDecorator {
  return (target, key) => {
    if (typeof key !== 'string') return;
    const cls = target.constructor;
    const inherited = (Reflect.getMetadata(STATE_PROPERTIES_METADATA, cls) as string[] | undefined) ?? [];
    Reflect.defineMetadata(STATE_PROPERTIES_METADATA, [...new Set([...inherited, key])], cls);
    // Whitelisted for class-validator: it validates nothing, and undeclared-property checks pass it.
    Allow()(target, key);
  };
}

/** The state properties of a context class, its base classes' included. */
export function statePropertiesOf(cls: object): readonly string[] {
  return (Reflect.getMetadata(STATE_PROPERTIES_METADATA, cls) as string[] | undefined) ?? [];
}
