/** How a run ended without an error. A run that fails rejects instead (K3). */
export type RunOutcomeStatus = 'completed' | 'stopped' | 'cancelled';

/** The status of one step in a run's records. */
export type StepStatus = 'completed' | 'skipped' | 'stopped' | 'failed' | 'compensated';

/** The branch a conditional step took: the 0-based index of the matched condition, or `'otherwise'`. */
export type BranchId = number | 'otherwise';

/** What happened to one step of a run. Steps never reached have no record. */
export interface StepRecord {
  /** The step's name. */
  step: string;
  /** How the step ended. */
  status: StepStatus;
  /** For a conditional step, the branch taken; absent when none matched. */
  branch?: BranchId;
  /** How many times the step's handlers ran (0 for a skipped step). */
  attempts: number;
  /** Wall time of the step in milliseconds (0 for a skipped step). */
  durationMs: number;
  /** Why the step was skipped. */
  reason?: string;
  /** What the step threw, for a failed step. */
  error?: unknown;
  /** What the step's compensation threw, when it did (R3). */
  compensationError?: unknown;
}

/** What a run resolves to (K2, K3, K10). */
export interface RunResult<C> {
  /** This run's id. */
  runId: string;
  /** The id of the run that started this one as a sub-run. */
  parentRunId?: string;
  /** The pipeline's name. */
  pipeline: string;
  /** How the run ended. */
  outcome: RunOutcomeStatus;
  /** The run's context as the steps left it. */
  context: C;
  /** One record per step reached, in execution order. */
  steps: StepRecord[];
  /** Wall time of the whole run in milliseconds. */
  durationMs: number;
}

/** What `onFinish` handlers receive: how the run ended, failures included (K8). */
export interface RunOutcome {
  /** How the run ended. */
  status: RunOutcomeStatus | 'failed';
  /** The error of a failed run, or the signal's reason for a cancelled one. */
  error?: unknown;
  /** The run's id. */
  runId: string;
  /** The pipeline's name. */
  pipeline: string;
}

/** One step's entry in a dry run (K11). */
export interface PlannedStep {
  /** The step's name. */
  step: string;
  /** What `run` would do with the step, as far as can be told without running anything. */
  action: 'run' | 'skip' | 'fail' | 'cancelled' | 'wait' | 'sleep';
  /** Why the step would be skipped or fail; for a wait, the signal it would wait for (W1, W3). */
  reason?: string;
}
