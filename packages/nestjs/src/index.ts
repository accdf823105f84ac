/**
 * `@orka/nestjs`: pipelines of named steps as NestJS providers. Decorate a class with `@Pipeline()`
 * and its methods with `@Step()`, import `OrkaModule.forRoot()`, and run it with `PipelineRunner`.
 *
 * Everything a Nest application needs from `@orka/core` is re-exported here, except the builder class
 * `Pipeline`, whose name the decorator takes.
 */
export * from './decorators/index.js';
export { OrkaModule } from './orka.module.js';
export { PipelineRunner, type PipelineRunOptions } from './pipeline-runner.js';
export { OrkaContext } from './context/orka-context.js';
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
} from './interfaces/orka-module-options.interface.js';
export type { PipelineDecoratorOptions } from './interfaces/pipeline-options.interface.js';
export type { StepDecoratorOptions } from './interfaces/step-options.interface.js';
export type {
  SubPipelineOptions,
  SubPipelineSource,
  SubPipelineFactory,
} from './interfaces/sub-pipeline.interface.js';
export type { StepRun, PipelineClass } from './interfaces/step-run.interface.js';
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
  StepStatus,
  RunResource,
} from '@orka/core';
