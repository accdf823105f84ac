import { OrkaError } from './orka-error.js';

/** A step did not settle within its time budget (R2). Its signal was aborted with this error. */
export class StepTimeoutError extends OrkaError {
  readonly code = 'STEP_TIMEOUT';

  constructor(
    /** The pipeline of the step. */
    readonly pipeline: string,
    /** The step that ran out of time. */
    readonly step: string,
    /** The step's budget in milliseconds. */
    readonly budgetMs: number,
  ) {
    super(
      `Step "${step}" of pipeline "${pipeline}" did not finish within its ${budgetMs} ms budget. ` +
        `Raise timeoutMs, or make the handler honour run.signal so that slow work stops at the deadline.`,
    );
  }
}

/** A run did not finish within its `deadlineMs` (R2). Running steps' signals were aborted with this error. */
export class RunTimeoutError extends OrkaError {
  readonly code = 'RUN_TIMEOUT';

  constructor(
    /** The pipeline of the run. */
    readonly pipeline: string,
    /** The step that was running (the earliest started) or waiting to retry at the deadline. */
    readonly step: string | undefined,
    /** The run's budget in milliseconds. */
    readonly budgetMs: number,
  ) {
    super(
      `Run of pipeline "${pipeline}" did not finish within its ${budgetMs} ms deadline` +
        (step === undefined ? '.' : ` (step "${step}" was running).`),
    );
  }
}
