/**
 * `@orka/nestjs`: pipelines of named steps as NestJS providers. Decorate a class with `@Pipeline()`
 * and its methods with `@Step()`, import `OrkaModule.forRoot()`, and run it with `PipelineRunner`.
 *
 * Everything a Nest application needs from `@orka/core` is re-exported here, except the builder class
 * `Pipeline`, whose name the decorator takes.
 */
export { Pipeline } from './decorators/pipeline.decorator.js';
export { Step } from './decorators/step.decorator.js';
export { Before } from './decorators/before.decorator.js';
export { After } from './decorators/after.decorator.js';
export { When } from './decorators/when.decorator.js';
export { Otherwise } from './decorators/otherwise.decorator.js';
export { SkipIf } from './decorators/skip-if.decorator.js';
export { Compensate } from './decorators/compensate.decorator.js';
export { OnFinish } from './decorators/on-finish.decorator.js';
export { SubPipeline } from './decorators/sub-pipeline.decorator.js';
export { State } from './decorators/state.decorator.js';
export { MapToHttp, type HttpMapping } from './http/map-to-http.decorator.js';
export { OrkaModule } from './orka.module.js';
export { PipelineRunner } from './runtime/pipeline-runner.js';
export type {
  PipelineRunOptions,
  PipelineStartOptions,
  PipelineStreamOptions,
} from './interfaces/runner-options.interface.js';
export { WaitFor } from './decorators/waits/wait-for.decorator.js';
export type { WaitForOptions } from './interfaces/wait-options.interface.js';
export { Sleep } from './decorators/waits/sleep.decorator.js';
export { OrkaContext } from './runtime/orka-context.js';
export { OrkaHttpInterceptor } from './http/orka-http.interceptor.js';
export { OrkaExceptionFilter } from './http/orka-exception.filter.js';
export { OrkaValidationError } from './errors/orka-validation.error.js';
export { OrkaShutdownError } from './errors/orka-shutdown.error.js';
export { PipelineNotFoundError } from './errors/pipeline-not-found.error.js';
export { OrkaContextUnavailableError } from './errors/orka-context-unavailable.error.js';
export type {
  OrkaModuleOptions,
  OrkaModuleAsyncOptions,
  ErrorMapping,
  DurableModuleOptions,
} from './interfaces/orka-module-options.interface.js';
export type { PipelineDecoratorOptions } from './interfaces/pipeline-options.interface.js';
export type { PipelineClass } from './interfaces/step-run.interface.js';
export type { StepDecoratorOptions } from './interfaces/step-options.interface.js';
export type {
  SubPipelineOptions,
  SubPipelineSource,
  SubPipelineFactory,
} from './interfaces/sub-pipeline.interface.js';
export type { PipelineContextOf, PipelineTarget } from './interfaces/typing.js';

export {
  Continue,
  Stop,
  TraceCollector,
  addObserver,
  runFailure,
  OrkaError,
  OrkaConfigurationError,
  StepNotFoundError,
  NoBranchMatchedError,
  ExtractorError,
  PipelineProviderError,
  FanOutPolicyError,
  StepTimeoutError,
  RunTimeoutError,
  CompensationError,
  RunResources,
  InvalidArgumentError,
  MemoryRunStore,
  ContextNotSerializableError,
  RunFailedError,
  RunNotFoundError,
  RunFinishedError,
  SignalTimeoutError,
} from '@orka/core';
export type {
  BranchId,
  Condition,
  ConfigurationProblem,
  Control,
  ContinueControl,
  StopControl,
  FanOutItemResult,
  FanOutOptions,
  FanOutPolicy,
  Observer,
  OrkaEvent,
  OrkaEventType,
  PipelineDescription,
  StepDescription,
  BranchDescription,
  PlannedStep,
  RetryPolicy,
  RunFailure,
  RunOutcome,
  RunOutcomeStatus,
  RunResult,
  SkipPredicate,
  StepRecord,
  StepRun,
  StepStatus,
  RunResource,
  ContextCodec,
  RunStore,
  RunFilter,
  RunSnapshot,
  RunSnapshotPage,
  RunWaiting,
  AwaitSignalOptions,
  SleepDuration,
  SnapshotStepRecord,
  StoredRunStatus,
  RunTransport,
  RunnerRole,
} from '@orka/core';
