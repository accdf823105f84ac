import type { StoredError } from '../stores/run-store.js';
import { OrkaError } from './orka-error.js';

/**
 * A durable run's context would not come back the same from JSON (D3): a function, a `Map`, a `Date`, a
 * cycle, a class instance without a codec. `path` names the property (`items[2].addedAt`).
 */
export class ContextNotSerializableError extends OrkaError {
  readonly code = 'CONTEXT_NOT_SERIALIZABLE';

  constructor(
    /** The pipeline whose context it is. */
    readonly pipeline: string,
    /** Where in the context: `$` for the context itself, `$.items[2].addedAt` for a property. */
    readonly path: string,
    /** What was found there. */
    readonly found: string,
  ) {
    super(
      `The context of pipeline "${pipeline}" cannot be committed as JSON: ${path} is ${found}, which would not come back ` +
        `the same. Store plain data (an ISO string for a date, an object or array for a map), or give the pipeline a codec.`,
    );
  }
}

/**
 * A durable run failed in another process, or before this one restarted (D6): the original error object
 * is gone; its name, code, message and step are here. Maps over HTTP as the original class would.
 */
export class RunFailedError extends OrkaError {
  readonly code: string;

  constructor(
    /** The run that failed. */
    readonly runId: string,
    /** The pipeline whose step threw. */
    readonly pipeline: string,
    /** The step that threw. */
    readonly step: string,
    /** The original error's class name (`PaymentDeclinedError`). */
    readonly originalName: string,
    /** The original error's `code`, when it had one. */
    readonly originalCode: string | undefined,
    message: string,
  ) {
    super(message);
    this.code = originalCode ?? 'RUN_FAILED';
  }

  /** The error a stored failure stands for. */
  static of(runId: string, pipeline: string, stored: StoredError): RunFailedError {
    return new RunFailedError(
      runId,
      stored.pipeline ?? pipeline,
      stored.step,
      stored.name,
      stored.code,
      stored.message,
    );
  }
}

/** `signal()`, `result()`, `get()` or `cancel()` named a run the store does not have. */
export class RunNotFoundError extends OrkaError {
  readonly code = 'RUN_NOT_FOUND';

  constructor(
    /** The run asked for. */
    readonly runId: string,
  ) {
    super(`No durable run ${runId} exists (in this runner's store).`);
  }
}

/** A signal was sent to a run that has ended (W2). */
export class RunFinishedError extends OrkaError {
  readonly code = 'RUN_FINISHED';

  constructor(
    /** The run. */
    readonly runId: string,
    /** How it ended. */
    readonly status: string,
    what: string,
  ) {
    super(`Run ${runId} has already ended (${status}): ${what}.`);
  }
}

/** A wait for a signal ran out of time (W4). */
export class SignalTimeoutError extends OrkaError {
  readonly code = 'SIGNAL_TIMEOUT';

  constructor(
    /** The pipeline of the wait. */
    readonly pipeline: string,
    /** The waiting step. */
    readonly step: string,
    /** The signal it waited for. */
    readonly signal: string,
    /** The wait's budget in milliseconds. */
    readonly budgetMs: number,
  ) {
    super(
      `Step "${step}" of pipeline "${pipeline}" waited ${budgetMs} ms for signal "${signal}", which did not come.`,
    );
  }
}
