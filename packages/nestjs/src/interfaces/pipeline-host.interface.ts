import type { Type } from '@nestjs/common';
import type { PipelineDecoratorOptions } from './pipeline-options.interface.js';

/** A discovered `@Pipeline` provider. */
export interface PipelineHost {
  /** The provider token: what `runner.run(token, ...)` and `run.subPipeline(token, ...)` look up. */
  token: unknown;
  /** The class whose metadata describes the pipeline: the class of the instance actually provided. */
  cls: Type<object>;
  /** The pipeline's name. */
  name: string;
  options: PipelineDecoratorOptions;
  /** Resolved per run for the current request (it, or a dependency, is request-scoped). */
  requestScoped: boolean;
  /** The singleton instance, for pipelines that are not request-scoped. */
  instance: Record<string, unknown> | undefined;
}

/** A step handler replaced in a testing module (`overrideStep`). */
export interface StepOverride {
  pipeline: unknown;
  step: string;
  handler: (ctx: never, run: never) => unknown;
}
