import type { Control } from './control.js';
import type { Pipeline } from './pipeline.js';
import type { BranchId, Condition, ContextPreparer, FinishHandler, Handler, SkipPredicate } from './types.js';

/** Retry policy of a step (R1). */
export interface RetryPolicy {
  /** Every try counts: 3 means at most 3 runs of the step. */
  attempts: number;
  /** `'fixed'` (default) waits `delayMs` every time; `'exponential'` waits `delayMs * 2^(n-1)` before the n-th retry. */
  backoff?: 'fixed' | 'exponential';
  /** The base delay between tries, in milliseconds (default 0). */
  delayMs?: number;
  /** Caps the computed delay. */
  maxDelayMs?: number;
  /** Waits a uniformly random 50% to 100% of the computed delay (default true). */
  jitter?: boolean;
  /** Says whether an error is worth another try; all errors are, when absent. */
  retryOn?: (err: unknown) => boolean;
  /** Error classes never worth another try (checked before `retryOn`), such as validation errors. */
  nonRetryable?: Array<abstract new (...args: never[]) => unknown>;
}

/** Per-step policies (R1, R2, R4). */
export interface StepOptions {
  /** Retries of the step's handlers when they throw (R1). */
  retry?: RetryPolicy;
  /** The step's time budget in milliseconds (R2). */
  timeoutMs?: number;
  /** The steps this one waits for; by default the step declared before it (R4). */
  after?: string[];
  /**
   * When the step fails (after its last attempt), record it as `failed`, emit `step.failed` with
   * `continued: true`, and go on with the run instead of failing it. A cancellation or the run's
   * deadline still ends the run.
   */
  continueOnError?: boolean;
}

/** A factory that picks a branch's sub-pipeline on each matching run. */
export type PipelineFactory<C, S> = (ctx: C) => Pipeline<S> | Promise<Pipeline<S>>;

/** A branch's sub-pipeline: a fixed instance, or a factory called on each matching run (K6). */
export type PipelineSource<C, S> = Pipeline<S> | PipelineFactory<C, S>;

/** What a conditional step does when no branch matches (K6). */
export type NoMatchBehaviour<C> = Control | 'fail' | ((ctx: C) => Error);

/** One branch of a conditional step, as declared. */
export interface BranchDefinition<C> {
  id: BranchId;
  /** Absent for the otherwise branch. */
  condition?: Condition<C>;
  handler?: Handler<C>;
  source?: PipelineSource<C, unknown>;
  extractor?: (ctx: C) => unknown;
  merge?: (ctx: C, sub: unknown) => void;
  /** A name for describe() and diagrams. */
  label?: string;
}

/** The branches of a conditional step. */
export interface ConditionalDefinition<C> {
  branches: BranchDefinition<C>[];
  otherwise?: BranchDefinition<C>;
  noMatch: NoMatchBehaviour<C>;
  finalized: boolean;
}

/** One step as the builder holds it: mutable until a run compiles it. */
export interface StepDefinition<C> {
  name: string;
  before: Handler<C>[];
  on: Handler<C>[];
  after: Handler<C>[];
  optional: boolean;
  skip?: { predicate: SkipPredicate<C>; label?: string };
  conditional?: ConditionalDefinition<C>;
  options: StepOptions;
  compensate?: Handler<C>;
}

/** The whole definition of a pipeline. */
export interface PipelineDefinition<C> {
  name: string;
  steps: StepDefinition<C>[];
  finishers: FinishHandler<C>[];
  defaultTimeoutMs?: number;
  compensateOnCancel?: boolean;
  prepare?: ContextPreparer<C>;
}

/** A step "has handlers" when any of its phases has one (section 4). */
export function hasHandlers(step: StepDefinition<unknown>): boolean {
  return step.before.length > 0 || step.on.length > 0 || step.after.length > 0;
}

/** The default reason of a skip predicate without a label, and of an optional step without handlers. */
export const SKIP_CONDITION_REASON = 'skip condition';
export const OPTIONAL_WITHOUT_HANDLERS_REASON = 'optional step without handlers';

/** @internal Where a pipeline exposes its definition to the validation of other pipelines. */
export const definitionKey = Symbol.for('orka:pipeline-definition');

/** Creates an empty step. */
export function newStep<C>(name: string): StepDefinition<C> {
  return { name, before: [], on: [], after: [], optional: false, options: {} };
}
