import type { CompiledPipeline } from './compile.js';
import { executeRun } from './execution.js';
import { isBrandedPipeline, type Compilable } from './pipeline-brand.js';
import { withContext } from './prepare-context.js';
import { RunState } from './run-state.js';
import type { StepRunImpl } from './step-run.js';
import type { RunResult } from './types.js';

/**
 * Runs `sub` as a full run under the step `parent` (K7): its own run id, the parent's as
 * `parentRunId`, the parent's cancellation, deadline and observers. `sharedWithParent` says that
 * `input` is the parent's own context object (a branch without an extractor).
 */
export function startSubRun<P, S>(
  parent: StepRunImpl<P>,
  source: unknown,
  input: S,
  sharedWithParent = false,
  /** The result goes to the branch dispatch only, which reads neither of its ids. */
  internal = false,
): Promise<RunResult<S>> {
  const sub = isBrandedPipeline(source) ? source : parent.state.resolvePipeline?.(source);
  if (!isBrandedPipeline(sub)) {
    return Promise.reject(
      new TypeError(
        `Step "${parent.step}" of pipeline "${parent.pipeline}" asked for a sub-run of something that is not a pipeline ` +
          `(${describeValue(source)}): pass a Pipeline instance.`,
      ),
    );
  }
  let compiled: CompiledPipeline<S>;
  try {
    compiled = (sub as Compilable<S>).compile();
  } catch (err) {
    return Promise.reject(err);
  }
  return withContext(
    compiled,
    input,
    () => ({ parentRunId: parent.runId, sharedWithParent }),
    (ctx: S) => launchSubRun(parent, compiled, ctx, internal),
  );
}

function launchSubRun<P, S>(
  parent: StepRunImpl<P>,
  compiled: CompiledPipeline<S>,
  ctx: S,
  internal: boolean,
): Promise<RunResult<S>> {
  const state = new RunState<S>(
    compiled,
    ctx,
    undefined,
    parent.state as RunState<unknown>,
    parent.abortSource(),
    parent.state.observers,
  );
  // A sub-run lives within its parent's deadline (R2) and resolves pipelines as its parent does.
  state.deadline = parent.state.deadline;
  state.resolvePipeline = parent.state.resolvePipeline;
  state.resultSeenByUser = !internal;
  return executeRun(state, 0, compiled.steps.length, true);
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an instance of ${value.constructor?.name ?? 'Object'}`;
}
