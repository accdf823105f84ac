import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { RunOutcome, StepRun } from '@orka/core';
import type { PipelineHost } from '../interfaces/pipeline-host.interface.js';
import { orkaStorage } from '../runtime/orka-context.storage.js';

/**
 * Calls a method with the context and the step's StepRun (for a finisher, the run's outcome; for a
 * `@WaitFor` method, the signal's payload, with the step's StepRun as `run` for `OrkaContext`).
 */
export type Invoke = (
  method: string,
  ctx: unknown,
  second: StepRun | RunOutcome | object,
  run?: StepRun,
) => unknown;
type Method = (ctx: unknown, second: unknown) => unknown;

/**
 * How a pipeline's methods are called (N5): on the singleton, or for a request-scoped pipeline on the
 * instance resolved for the run's DI context (`moduleRef.resolve`, as @nestjs/cqrs does). The method is
 * looked up on every call, so spies set after bootstrap see the calls. With context tracking on, the
 * call runs inside a store that names the context and the step, for `OrkaContext`: the run's own while
 * it is at this step, else one of the call's own.
 */
export function invokerFor(host: PipelineHost, moduleRef: ModuleRef, tracking: boolean): Invoke {
  const call: Invoke = host.requestScoped
    ? async (method, ctx, second) => {
        const contextId = orkaStorage.getStore()?.contextId;
        const instance = (await moduleRef.resolve(host.token as Type<object>, contextId, {
          strict: false,
        })) as Record<string, Method>;
        return instance[method]!(ctx, second);
      }
    : (method, ctx, second) => (host.instance as Record<string, Method>)[method]!(ctx, second);
  if (!tracking) return call;
  return (method, ctx, second, stepRun) => {
    // A step gets its StepRun; a finisher its outcome, from which OrkaContext can still tell the run.
    const run =
      stepRun ??
      ('step' in second
        ? (second as StepRun)
        : {
            runId: (second as RunOutcome).runId,
            pipeline: (second as RunOutcome).pipeline,
            step: 'onFinish',
          });
    const outer = orkaStorage.getStore();
    // In a run whose steps run one at a time, the run's own store already names this step: no store
    // per call. Concurrent steps, compensations, finishers and runs executed elsewhere get their own.
    if (outer?.active !== undefined && outer.active.isAt(run as StepRun)) return call(method, ctx, second);
    return orkaStorage.run(
      { request: outer?.request, contextId: outer?.contextId, ctx, run },
      call,
      method,
      ctx,
      second,
    );
  };
}
