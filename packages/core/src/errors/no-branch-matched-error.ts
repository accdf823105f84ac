import { OrkaError } from './orka-error.js';

/** No condition of a conditional step matched and the step was told to fail in that case (K6). */
export class NoBranchMatchedError extends OrkaError {
  readonly code = 'NO_BRANCH_MATCHED';

  constructor(
    /** The pipeline of the conditional step. */
    readonly pipeline: string,
    /** The conditional step. */
    readonly step: string,
  ) {
    super(
      `No branch of step "${step}" in pipeline "${pipeline}" matched the context. Add a branch for this case, ` +
        `an otherwise() branch, or let the step continue with ifNoMatch(Continue).`,
    );
  }
}
