import { OrkaError } from '@orka/core';
import { PIPELINE_NOT_FOUND } from '../orka.messages.js';

/** `PipelineRunner` was asked for a pipeline that no provider registers. @publicApi */
export class PipelineNotFoundError extends OrkaError {
  readonly code = 'PIPELINE_NOT_FOUND';

  constructor(
    /** The class's or pipeline's name that was asked for. */
    readonly target: string,
    known: string[],
  ) {
    super(PIPELINE_NOT_FOUND(target, known));
  }
}
