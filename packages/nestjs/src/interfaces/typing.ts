import type { Type } from '@nestjs/common';

/** The first parameter of each method of `P` that takes one. */
type FirstParameters<P> = {
  [K in keyof P]-?: P[K] extends (...args: infer A) => unknown
    ? A extends [infer First, ...unknown[]]
      ? First
      : never
    : never;
}[keyof P];

/**
 * The context type of a pipeline class, inferred from its methods as written: step methods take the
 * context as their first parameter (N3). `unknown` for a class without such methods.
 */
export type PipelineContextOf<P> = [FirstParameters<P>] extends [never] ? unknown : FirstParameters<P>;

/** What `PipelineRunner` accepts as a pipeline: a `@Pipeline` class (provider token) or a pipeline's name. */
export type PipelineTarget<P = unknown> = Type<P> | string;
