import { OrkaError } from './orka-error.js';

/** A step name that the pipeline does not have was given to a builder call or a partial run (K4, K12). */
export class StepNotFoundError extends OrkaError {
  readonly code = 'STEP_NOT_FOUND';

  constructor(
    /** The pipeline that was asked. */
    readonly pipeline: string,
    /** The unknown step name. */
    readonly step: string,
    known: readonly string[],
  ) {
    super(
      `Pipeline "${pipeline}" has no step "${step}". Its steps are: ${known.map((s) => `"${s}"`).join(', ') || '(none)'}.`,
    );
  }
}
