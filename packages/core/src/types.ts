import type { Control } from './control.js';
import type { OrkaEvent } from './events.js';
import type { FanOutItemResult, FanOutOptions } from './fan-out.js';
import type { Pipeline } from './pipeline.js';
import type { RunResources } from './resources.js';

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

/** Receives every event of the runs it is attached to (K13). It must not throw; errors it throws are ignored. */
export type Observer = (event: OrkaEvent) => void;

/** Options of a run. */
export interface RunOptions {
  /** Cancels the run cooperatively: checked at every step boundary and handed to handlers (K10). */
  signal?: AbortSignal;
  /** Receives this run's events and those of its sub-runs (K13). */
  observer?: Observer;
  /** The run's id; a random UUID when absent. */
  runId?: string;
  /** Bounds the whole run from its start, in milliseconds (R2). */
  deadlineMs?: number;
  /**
   * For framework integrations: turns what a handler passes to `run.subPipeline` or `run.fanOut` into
   * a pipeline when it is not one (a class registered with a DI container, a name). Sub-runs inherit it.
   */
  resolvePipeline?: PipelineResolver;
}

/** Finds the pipeline for a source that is not a `Pipeline` itself; undefined when it knows none. */
export type PipelineResolver = (source: unknown) => Pipeline<unknown> | undefined;

/** Where a run's input comes from, as told to a pipeline's `prepare` hook. */
export interface ContextOrigin {
  /** The run that starts this one as a sub-run, if any. */
  parentRunId?: string;
  /** The input is the parent run's own context object (a branch without an extractor). */
  sharedWithParent: boolean;
}

/**
 * Turns a run's input into its context before any step runs (for example: validation into a class
 * instance). What it throws rejects the run before it starts.
 */
export type ContextPreparer<C> = (input: unknown, origin: ContextOrigin) => C | Promise<C>;

/**
 * What a handler may return: nothing or {@link Continue} to go on, {@link Stop} to end the run, or the
 * result of `run.subPipeline(...)` (a stopped sub-run then stops this run).
 */
export type HandlerResult = void | Control | RunResult<unknown>;

/** A step handler: receives the run's context and the step's {@link StepRun}. */
export type Handler<C> = (ctx: C, run: StepRun) => HandlerResult | Promise<HandlerResult>;

/** A condition of a conditional step; may be asynchronous (K6). */
export type Condition<C> = (ctx: C) => boolean | Promise<boolean>;

/** A skip predicate (K5). Synchronous, so that `plan()` can evaluate it without running anything. */
export type SkipPredicate<C> = (ctx: C) => boolean;

/** Runs on every exit of a run, with the run's outcome (K8). */
export type FinishHandler<C> = (ctx: C, outcome: RunOutcome) => void | Promise<void>;

/** The per-step view of the run that every handler receives as its second argument. */
export interface StepRun {
  /** The id of the run. */
  readonly runId: string;
  /** The id of the run that started this run as a sub-run, if any. */
  readonly parentRunId?: string;
  /** The id of the outermost run. Equal to `runId` for a top-level run. */
  readonly rootRunId: string;
  /** The pipeline's name. */
  readonly pipeline: string;
  /** The step's name. */
  readonly step: string;
  /** The attempt number, 1-based (R1). */
  readonly attempt: number;
  /** Aborts when the run is cancelled (or the step times out); pass it to I/O. */
  readonly signal: AbortSignal;
  /** Resources released in reverse order when the run ends (K9). */
  readonly resources: RunResources;
  /**
   * Runs another pipeline as a sub-run of this one, with `input` as its context (K7, N8). A sub-run
   * that ends `stopped` stops this run once the handler settles.
   */
  subPipeline<S>(sub: Pipeline<S>, input: S): Promise<RunResult<S>>;
  /** A sub-run of a pipeline that the run's `resolvePipeline` option knows (framework integrations). */
  subPipeline(sub: unknown, input: unknown): Promise<RunResult<unknown>>;
  /** Runs `sub` once per item, at most `concurrency` at once; results in input order (K14). */
  fanOut<S>(sub: Pipeline<S>, items: readonly S[], options?: FanOutOptions): Promise<FanOutItemResult<S>[]>;
  /** A fan-out over a pipeline that the run's `resolvePipeline` option knows (framework integrations). */
  fanOut(
    sub: unknown,
    items: readonly unknown[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<unknown>[]>;
}

/** One step's entry in a dry run (K11). */
export interface PlannedStep {
  /** The step's name. */
  step: string;
  /** What `run` would do with the step, as far as can be told without running anything. */
  action: 'run' | 'skip' | 'fail' | 'cancelled';
  /** Why the step would be skipped or fail. */
  reason?: string;
}
