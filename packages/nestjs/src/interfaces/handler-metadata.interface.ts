import type { Condition, SkipPredicate, SleepDuration } from '@orka/core';
import type { WaitForOptions } from './wait-options.interface.js';
import type { StepDecoratorOptions } from './step-options.interface.js';
import type { SubPipelineSource } from './sub-pipeline.interface.js';

/** Everything Orka's decorators say about one method; each decorator fills in its part. */
export interface HandlerMetadata {
  step?: { name: string; options?: StepDecoratorOptions };
  before?: string[];
  after?: string[];
  when?: Condition<never>[];
  otherwise?: boolean;
  skipIf?: { predicate: SkipPredicate<never>; label?: string };
  compensate?: string[];
  onFinish?: boolean;
  /** `@WaitFor` or `@Sleep`: what the method's step waits for (W1, W3). */
  wait?:
    ({ kind: 'signal'; signal: string } & WaitForOptions) | { kind: 'sleep'; duration: SleepDuration<never> };
  subPipeline?: {
    source: SubPipelineSource;
    extract?: (ctx: never) => unknown;
    merge?: (ctx: never, sub: never) => void;
  };
}
