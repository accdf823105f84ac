import type { ForwardReference, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';

/** Picks a sub-pipeline class per run; may use DI through `moduleRef`. */
export type SubPipelineFactory<P extends object = object, C = never> = (
  ctx: C,
  moduleRef: ModuleRef,
) => Type<P> | Promise<Type<P>>;

/** A declared sub-pipeline: a `@Pipeline` class, `forwardRef(() => Class)`, or an async factory. */
export type SubPipelineSource<P extends object = object, C = never> =
  Type<P> | ForwardReference<() => Type<P>> | SubPipelineFactory<P, C>;

/** Options of `@SubPipeline(source, options)`. */
export interface SubPipelineOptions<C = never, S = never> {
  /** Builds the sub-run's input from this run's context; without it the sub-run gets the context object itself. */
  extract?: (ctx: C) => S;
  /** Writes the sub-run's context back after it ends completed or stopped. */
  merge?: (ctx: C, sub: S) => void;
}
