/**
 * `@orka/core`: a framework-free kernel for multi-step business flows: a pipeline of named async
 * steps over one shared per-run context, with branches to sub-pipelines, finishers, cancellation,
 * observers and fan-out.
 */
export { Continue, Stop, type Control, type ContinueControl, type StopControl } from './control.js';
export { Pipeline, type PipelineOptions } from './pipeline.js';
export { ConditionalStepBuilder, BranchBuilder } from './conditional-builder.js';
export type {
  RetryPolicy,
  StepOptions,
  PipelineFactory,
  PipelineSource,
  NoMatchBehaviour,
} from './definition.js';
export type {
  BranchId,
  Condition,
  ContextOrigin,
  ContextPreparer,
  FinishHandler,
  Handler,
  HandlerResult,
  Observer,
  PipelineResolver,
  PlannedStep,
  RunOptions,
  RunOutcome,
  RunOutcomeStatus,
  RunResult,
  SkipPredicate,
  StepRecord,
  StepRun,
  StepStatus,
} from './types.js';
export type * from './events.js';
export type { FanOutItemResult, FanOutOptions, FanOutPolicy } from './fan-out.js';
export type { BranchDescription, PipelineDescription, StepDescription } from './describe.js';
export { RunResources, type RunResource } from './resources.js';
export { addObserver, combineObservers } from './observers.js';
export { TraceCollector } from './trace-collector.js';
export { runFailure, type RunFailure } from './failure.js';
export { OrkaError } from './errors/orka-error.js';
export { OrkaConfigurationError, type ConfigurationProblem } from './errors/configuration-error.js';
export { StepNotFoundError } from './errors/step-not-found-error.js';
export { NoBranchMatchedError } from './errors/no-branch-matched-error.js';
export { ExtractorError, PipelineProviderError } from './errors/sub-pipeline-errors.js';
export { FanOutPolicyError } from './errors/fan-out-policy-error.js';
export { StepTimeoutError, RunTimeoutError } from './errors/timeout-errors.js';
export { CompensationError } from './errors/compensation-error.js';
