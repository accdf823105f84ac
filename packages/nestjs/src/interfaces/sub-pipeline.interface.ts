import type { ForwardReference, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';

/** Picks a sub-pipeline class per run; may use DI through `moduleRef`. */
export type SubPipelineFactory = (ctx: never, moduleRef: ModuleRef) => Type<object> | Promise<Type<object>>;

/** A declared sub-pipeline: a `@Pipeline` class, `forwardRef(() => Class)`, or an async factory. */
export type SubPipelineSource = Type<object> | ForwardReference<() => Type<object>> | SubPipelineFactory;

/** Options of `@SubPipeline(source, options)`. */
export interface SubPipelineOptions<C = never, S = never> {
  /** Builds the sub-run's input from this run's context; without it the sub-run gets the context object itself. */
  extract?: (ctx: C) => S;
  /** Writes the sub-run's context back after it ends completed or stopped. */
  merge?: (ctx: C, sub: S) => void;
}
