import type { ModuleRef } from '@nestjs/core';
import {
  Continue,
  Stop,
  type Condition,
  type ConditionalStepBuilder,
  type FinishHandler,
  type Handler,
  type HandlerResult,
  type Pipeline as KernelPipeline,
  type PipelineSource,
  type RunOutcome,
  type SleepDuration,
} from '@orka/core';
import { plainToInstance } from 'class-transformer';
import type { DecoratedMethod } from '../discovery/orka-metadata.accessor.js';
import type { StepLayout } from '../discovery/step-layout.js';
import type { PipelineHost, StepOverride } from '../interfaces/pipeline-host.interface.js';
import type { Invoke } from './handler-invoker.js';
import { kernelSubPipelineSource, type KernelLookup } from './sub-pipeline-source.js';

interface LooseBranch {
  runSubPipeline(
    source: PipelineSource<object, object>,
    extractor?: (ctx: never) => unknown,
    merge?: (ctx: never, sub: never) => void,
  ): ConditionalStepBuilder<object>;
}

/** What filling one pipeline needs besides its class. */
export interface FillContext {
  invoke: Invoke;
  lookup: KernelLookup;
  moduleRef: ModuleRef;
  overrides: StepOverride[];
  problems: string[];
}

/**
 * Registers a class's handlers, branches, policies, compensations and finishers on its kernel pipeline
 * (N2, N8), step by step as the layout grouped its methods. All behaviour stays the kernel's.
 */
export function fillPipeline(
  host: PipelineHost,
  kernel: KernelPipeline<object>,
  methods: DecoratedMethod[],
  steps: StepLayout[],
  fill: FillContext,
): void {
  const { invoke } = fill;
  const handler =
    (method: string): Handler<object> =>
    (ctx, run) =>
      invoke(method, ctx, run) as HandlerResult;

  for (const layout of steps) {
    const override = fill.overrides.find(
      (o) => (o.pipeline === host.token || o.pipeline === host.name) && o.step === layout.name,
    );
    for (const m of layout.before) kernel.beforeStep(layout.name, handler(m));
    if (override) kernel.onStep(layout.name, override.handler as Handler<object>);
    else fillOnPhase(host, kernel, layout, handler, fill);
    for (const m of layout.after) kernel.afterStep(layout.name, handler(m));
    const options = layout.options[0]?.options;
    if (options) {
      kernel.stepOptions(layout.name, {
        ...(options.retry && { retry: options.retry }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
        ...(options.after && { after: options.after }),
        ...(options.continueOnError !== undefined && { continueOnError: options.continueOnError }),
      });
    }
    const skip = layout.skips[0];
    if (skip) kernel.skipIf(layout.name, skip.skip.predicate as (ctx: object) => boolean, skip.skip.label);
    const compensation = layout.compensations[0];
    if (compensation) kernel.compensate(layout.name, handler(compensation));
    const wait = layout.waits[0];
    if (wait) addWait(kernel, layout.name, wait, invoke);
  }
  for (const { name, metadata } of methods) {
    if (metadata.onFinish) {
      const finisher: FinishHandler<object> = (ctx: object, outcome: RunOutcome) =>
        invoke(name, ctx, outcome) as void;
      kernel.onFinish(finisher);
    }
  }
}

/** The step's `on` phase: its plain handlers, then its branches (`@When`, `@Otherwise`, `@SubPipeline`). */
function fillOnPhase(
  host: PipelineHost,
  kernel: KernelPipeline<object>,
  layout: StepLayout,
  handler: (method: string) => Handler<object>,
  fill: FillContext,
): void {
  for (const m of layout.handlers) kernel.onStep(layout.name, handler(m));
  if (layout.branches.length === 0 && layout.otherwise.length === 0) return;
  const builder = kernel.conditionalStep(layout.name);
  const branch = (method: string, open: () => ReturnType<typeof builder.otherwise>) => {
    const sub = layout.subPipelines.get(method);
    if (!sub) return open().runHandler(handler(method));
    const source = kernelSubPipelineSource(
      host,
      method,
      sub.source,
      fill.lookup,
      fill.moduleRef,
      fill.problems,
    );
    // Without `extract` the sub-run gets the parent's context object itself (section 4), as a kernel
    // branch without an extractor does; the builder's overloads only type the common cases.
    return (open() as unknown as LooseBranch).runSubPipeline(source, sub.extract, sub.merge);
  };
  for (const b of layout.branches) branch(b.method, () => builder.ifCondition(allOf(b.when), b.method));
  const fallback = layout.otherwise[0];
  if (fallback) branch(fallback, () => builder.otherwise(fallback));
  const noMatch = layout.options[0]?.options.onNoMatch;
  builder.ifNoMatch(noMatch === 'stop' ? Stop : noMatch === 'fail' ? 'fail' : Continue).finalize();
}

/**
 * A step's `@WaitFor` (the method runs with the signal's payload, as an instance of its payload class)
 * or `@Sleep` (the method, a plain handler of the step, runs when the time is up): W1, W3.
 */
function addWait(
  kernel: KernelPipeline<object>,
  step: string,
  { method, wait }: StepLayout['waits'][number],
  invoke: Invoke,
): void {
  if (wait.kind === 'sleep') {
    kernel.sleep(step, wait.duration as SleepDuration<object>);
    return;
  }
  const { signal, timeoutMs, onTimeout, payload } = wait;
  kernel.awaitSignal<unknown>(step, signal, {
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(onTimeout !== undefined && { onTimeout }),
    merge: async (ctx, body, run) => {
      const value = payload ? plainToInstance(payload, (body ?? {}) as object) : (body as object);
      await invoke(method, ctx, value, run);
    },
  });
}

/** All predicates of a method with stacked `@When` must hold. */
function allOf(conditions: Condition<never>[]): Condition<object> {
  if (conditions.length === 1) return conditions[0] as Condition<object>;
  return async (ctx: object) => {
    for (const c of conditions) if (!(await (c as Condition<object>)(ctx))) return false;
    return true;
  };
}
