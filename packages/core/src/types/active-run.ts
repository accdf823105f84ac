import type { StepRun } from './step-run.js';

/**
 * A run as code inside it sees it: what a framework's request-context integration (an
 * AsyncLocalStorage store) hands to the services a step calls. One per run and per sub-run.
 */
export interface ActiveRun {
  /** The run's id. */
  readonly runId: string;
  /** The pipeline's name. */
  readonly pipeline: string;
  /** The run's context object. */
  readonly context: unknown;
  /**
   * The step the run is at now. In a run whose steps run one at a time it changes as the run moves
   * on; in a run with concurrent steps (R4) it is the earliest started of those running.
   */
  readonly step: string;
  /**
   * Whether `run`, a handler's StepRun, is the step this run is at now in a run whose steps run one at
   * a time: a store that names this run then names that step too, and a handler call needs no store of
   * its own.
   */
  isAt(run: StepRun): boolean;
}

/**
 * Runs `execute`, the whole of a run (a top-level run, each sub-run, each fan-out item), inside what
 * a framework integration needs there, such as an AsyncLocalStorage store naming `run`
 * (`RunOptions.enterRun`). Must return what `execute` returns.
 */
export type EnterRun = <R>(run: ActiveRun, execute: () => R) => R;
