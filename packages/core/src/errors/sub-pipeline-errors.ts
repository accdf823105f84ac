import { OrkaError } from './orka-error.js';

/** A branch could not set up its sub-run: a function of the branch threw; `cause` is what it threw (K6). */
export abstract class BranchSetupError extends OrkaError {
  constructor(
    /** The pipeline of the conditional step. */
    readonly pipeline: string,
    /** The conditional step whose branch failed. */
    readonly step: string,
    /** The 0-based branch index, or `'otherwise'`. */
    readonly branch: number | 'otherwise',
    cause: unknown,
    what: string,
  ) {
    const because = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`The ${what} of branch ${branch} of step "${step}" in pipeline "${pipeline}" failed: ${because}`, {
      cause,
    });
  }
}

/** The extractor of a branch threw while building the sub-context (K6). */
export class ExtractorError extends BranchSetupError {
  readonly code = 'EXTRACTOR_FAILED';

  constructor(pipeline: string, step: string, branch: number | 'otherwise', cause: unknown) {
    super(pipeline, step, branch, cause, 'extractor');
  }
}

/** The factory of a branch failed to provide its sub-pipeline (K6). */
export class PipelineProviderError extends BranchSetupError {
  readonly code = 'PIPELINE_PROVIDER_FAILED';

  constructor(pipeline: string, step: string, branch: number | 'otherwise', cause: unknown) {
    super(pipeline, step, branch, cause, 'sub-pipeline factory');
  }
}
