import type { FanOutItemResult, FanOutOptions, RunResult } from '@orka/core';
import type { PipelineContextOf } from './typing.js';

/**
 * A `@Pipeline` class, whatever its constructor takes. (Spelled out rather than Nest's `Type<P>`: with
 * the overloads below, `Type<P>` lost the context type of classes with constructor parameters.)
 */
export type PipelineClass<P extends object> = abstract new (...args: never[]) => P;

// What a step method receives as its second parameter is the kernel's `StepRun`, one type under one
// name: with `@orka/nestjs` loaded, its `subPipeline` and `fanOut` also take `@Pipeline` classes (N8),
// typed by the class's context.
declare module '@orka/core' {
  interface StepRun {
    /** Runs a `@Pipeline` class as a sub-run with `input` (validated against its context class, if any). */
    subPipeline<P extends object>(
      sub: PipelineClass<P>,
      input: unknown,
    ): Promise<RunResult<PipelineContextOf<P>>>;
    /** Runs a `@Pipeline` class once per item. */
    fanOut<P extends object>(
      sub: PipelineClass<P>,
      items: readonly unknown[],
      options?: FanOutOptions,
    ): Promise<FanOutItemResult<PipelineContextOf<P>>[]>;
  }
}
