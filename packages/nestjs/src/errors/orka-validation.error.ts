import { OrkaError } from '@orka/core';
import type { ValidationError } from 'class-validator';

/**
 * A run's input does not satisfy the pipeline's context class. `messages` has one line per failed
 * constraint, as Nest's ValidationPipe writes them; `errors` are class-validator's own. Maps to 400.
 * @publicApi
 */
export class OrkaValidationError extends OrkaError {
  readonly code = 'ORKA_VALIDATION';

  constructor(
    /** The pipeline whose input was rejected. */
    readonly pipeline: string,
    /** One line per failed constraint, such as `email must be an email`. */
    readonly messages: string[],
    /** class-validator's errors. */
    readonly errors: ValidationError[],
  ) {
    super(`Input of pipeline "${pipeline}" is invalid: ${messages.join('; ')}`);
  }
}
