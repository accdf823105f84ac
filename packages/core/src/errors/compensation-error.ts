import { OrkaError } from './orka-error.js';

/**
 * A run failed and at least one compensation threw while undoing it (R3). Holds both: the error that
 * failed the run, and every compensation error in the order the compensations ran.
 */
export class CompensationError extends OrkaError {
  readonly code = 'COMPENSATION_FAILED';

  constructor(
    /** The pipeline whose compensations failed. */
    readonly pipeline: string,
    /** The error that failed the run (or the cancellation reason, when compensating a cancelled run). */
    readonly original: unknown,
    /** What the failed compensations threw, in the order they ran, with their steps. */
    readonly compensationErrors: unknown[],
    /** The steps whose compensation threw, in the same order as `compensationErrors`. */
    readonly steps: string[],
  ) {
    const what = original instanceof Error ? `${original.name}: ${original.message}` : String(original);
    super(
      `Pipeline "${pipeline}" failed (${what}) and the compensation of ${steps.map((s) => `"${s}"`).join(', ')} ` +
        `threw as well; the run's effects may be partly undone. See .original and .compensationErrors.`,
      { cause: original },
    );
  }
}
