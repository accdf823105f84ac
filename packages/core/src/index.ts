/**
 * `@orka/core`: a framework-free kernel for multi-step business flows: a pipeline of named async
 * steps over one shared per-run context, with branches to sub-pipelines, finishers, cancellation,
 * observers and fan-out.
 */
export {
  Continue,
  Stop,
  type Control,
  type ContinueControl,
  type StopControl,
} from './definition/control.js';
export { Pipeline } from './pipeline.js';
export { ConditionalStepBuilder, BranchBuilder } from './definition/conditional-builder.js';
export type {
  RetryPolicy,
  StepOptions,
  PipelineOptions,
  RunOptions,
  PipelineFactory,
  PipelineSource,
  NoMatchBehaviour,
} from './types/options.js';
export type {
  Condition,
  ContextOrigin,
  ContextPreparer,
  FinishHandler,
  Handler,
  HandlerResult,
  SkipPredicate,
} from './types/handlers.js';
export type {
  BranchId,
  PlannedStep,
  RunOutcome,
  RunOutcomeStatus,
  RunResult,
  StepRecord,
  StepStatus,
} from './types/records.js';
export type { StepRun } from './types/step-run.js';
export type { ActiveRun, EnterRun } from './types/active-run.js';
export type { PipelineRef, PipelineResolver } from './types/pipeline-ref.js';
export type * from './types/events.js';
export type { FanOutItemResult, FanOutOptions, FanOutPolicy } from './types/fan-out.js';
export type { AwaitSignalOptions, SleepDuration } from './types/waits.js';
export type { BranchDescription, PipelineDescription, StepDescription } from './description/describe.js';
export { RunResources, type RunResource } from './execution/policies/resources.js';
export { addObserver, combineObservers } from './observation/observers.js';
export { TraceCollector } from './observation/trace-collector.js';
export { runFailure, type RunFailure } from './errors/run-failure.js';
export { OrkaError } from './errors/orka-error.js';
export {
  OrkaConfigurationError,
  type ConfigurationProblem,
  type ConfigurationProblemKind,
} from './errors/configuration-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { StepNotFoundError } from './errors/step-not-found-error.js';
export { NoBranchMatchedError } from './errors/no-branch-matched-error.js';
export { ExtractorError, PipelineProviderError } from './errors/sub-pipeline-errors.js';
export { FanOutPolicyError } from './errors/fan-out-policy-error.js';
export { StepTimeoutError, RunTimeoutError } from './errors/timeout-errors.js';
export { CompensationError } from './errors/compensation-error.js';
export { DurableRunner } from './durable/durable-runner.js';
export type { DurableRunnerOptions, DurableStartOptions } from './durable/durable-options.js';
export type {
  DeliveryReason,
  RunnerRole,
  RunTransport,
  TransportHost,
} from './durable/transport/run-transport.js';
export type { ContextCodec } from './durable/context-codec.js';
export type { RunSnapshot, RunSnapshotPage, RunWaiting, SnapshotStepRecord } from './durable/run-snapshot.js';
export { MemoryRunStore } from './stores/memory-run-store.js';
export { runStoreRules } from './stores/store-rules.js';
export type * from './stores/run-store.js';
export {
  ContextNotSerializableError,
  RunFailedError,
  RunNotFoundError,
  RunFinishedError,
  SignalTimeoutError,
} from './errors/durable-errors.js';
