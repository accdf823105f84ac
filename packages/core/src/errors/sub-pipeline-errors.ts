import { OrkaError } from './orka-error.js';

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/** The extractor of a branch threw while building the sub-context; `cause` is what it threw (K6). */
export class ExtractorError extends OrkaError {
  readonly code = 'EXTRACTOR_FAILED';

  constructor(
    /** The pipeline of the conditional step. */
    readonly pipeline: string,
    /** The conditional step whose branch extractor failed. */
    readonly step: string,
    /** The 0-based branch index, or `'otherwise'`. */
    readonly branch: number | 'otherwise',
    cause: unknown,
  ) {
    super(
      `The extractor of branch ${branch} of step "${step}" in pipeline "${pipeline}" failed: ${describeCause(cause)}`,
      { cause },
    );
  }
}

/** The factory of a branch failed to provide its sub-pipeline; `cause` is what it threw (K6). */
export class PipelineProviderError extends OrkaError {
  readonly code = 'PIPELINE_PROVIDER_FAILED';

  constructor(
    /** The pipeline of the conditional step. */
    readonly pipeline: string,
    /** The conditional step whose sub-pipeline factory failed. */
    readonly step: string,
    /** The 0-based branch index, or `'otherwise'`. */
    readonly branch: number | 'otherwise',
    cause: unknown,
  ) {
    super(
      `The sub-pipeline factory of branch ${branch} of step "${step}" in pipeline "${pipeline}" failed: ${describeCause(cause)}`,
      { cause },
    );
  }
}
