import type {
  FanOutItemResult,
  FanOutOptions,
  Pipeline as KernelPipeline,
  RunResult,
  StepRun as CoreStepRun,
} from '@orka/core';
import type { PipelineContextOf } from './typing.js';

/**
 * A `@Pipeline` class, whatever its constructor takes. (Spelled out rather than Nest's `Type<P>`: with
 * the overloads below, `Type<P>` lost the context type of classes with constructor parameters.)
 */
export type PipelineClass<P extends object> = abstract new (...args: never[]) => P;

/**
 * What a step method receives as its second parameter: the kernel's step view, where sub-runs and
 * fan-outs also take a `@Pipeline` class (N8).
 */
export interface StepRun extends CoreStepRun {
  /** Runs a `@Pipeline` class as a sub-run with `input` (validated against its context class, if any). */
  subPipeline<P extends object>(
    sub: PipelineClass<P>,
    input: unknown,
  ): Promise<RunResult<PipelineContextOf<P>>>;
  subPipeline<S>(sub: KernelPipeline<S>, input: S): Promise<RunResult<S>>;
  subPipeline(sub: unknown, input: unknown): Promise<RunResult<unknown>>;
  /** Runs a `@Pipeline` class once per item. */
  fanOut<P extends object>(
    sub: PipelineClass<P>,
    items: readonly unknown[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<PipelineContextOf<P>>[]>;
  fanOut<S>(
    sub: KernelPipeline<S>,
    items: readonly S[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<S>[]>;
  fanOut(
    sub: unknown,
    items: readonly unknown[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<unknown>[]>;
}
