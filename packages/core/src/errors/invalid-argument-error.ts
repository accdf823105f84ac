import { OrkaError } from './orka-error.js';

/**
 * A call got an argument it cannot work with: a run option out of range (`deadlineMs: -1`), a fan-out
 * option (`concurrency: 0`), a sub-run source that is not a pipeline. The message names the pipeline
 * and step concerned, and what is expected.
 */
export class InvalidArgumentError extends OrkaError {
  readonly code = 'INVALID_ARGUMENT';

  constructor(
    /** The pipeline the call was about. */
    readonly pipeline: string,
    /** The argument or option, such as `deadlineMs` or `fanOut concurrency`. */
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}
