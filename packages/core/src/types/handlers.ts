import type { Control } from '../definition/control.js';
import type { RunOutcome, RunResult } from './records.js';
import type { StepRun } from './step-run.js';

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
