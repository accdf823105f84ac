import type { CompiledPipeline } from '../../definition/compiled.js';
import { isBrandedPipeline, type Compilable } from '../../definition/pipeline-brand.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { RunResult } from '../../types/records.js';
import { withContext } from '../prepare-context.js';
import { executeRun } from '../run-loop.js';
import { RunState, type SubRunOrigin } from '../run-state.js';

/**
 * Runs `source` as a full run under the step `origin` (K7): its own run id, the parent's as
 * `parentRunId`, the parent's cancellation, deadline and observers. `sharedWithParent` says that
 * `input` is the parent's own context object (a branch without an extractor).
 */
export function startSubRun<S>(
  origin: SubRunOrigin,
  source: unknown,
  input: S,
  sharedWithParent = false,
  /** The result goes to the branch dispatch only, which reads neither of its ids. */
  internal = false,
): Promise<RunResult<S>> {
  const parent = origin.parentRun();
  const sub = isBrandedPipeline(source) ? source : parent.resolvePipeline?.(source);
  if (!isBrandedPipeline(sub)) {
    return Promise.reject(
      new InvalidArgumentError(
        origin.pipeline,
        'sub-pipeline',
        `Step "${origin.step}" of pipeline "${origin.pipeline}" asked for a sub-run of something that is not a pipeline ` +
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
    () => ({ parentRunId: origin.runId, sharedWithParent }),
    (ctx: S) => launchSubRun(origin, parent, compiled, ctx, internal),
  );
}

function launchSubRun<S>(
  origin: SubRunOrigin,
  parent: RunState<unknown>,
  compiled: CompiledPipeline<S>,
  ctx: S,
  internal: boolean,
): Promise<RunResult<S>> {
  const state = new RunState<S>(
    compiled,
    ctx,
    undefined,
    parent,
    origin.abortSource(),
    parent.observers,
    parent.composition,
  );
  // A sub-run lives within its parent's deadline (R2) and resolves pipelines as its parent does.
  state.deadline = parent.deadline;
  state.resolvePipeline = parent.resolvePipeline;
  state.resultSeenByUser = !internal;
  return executeRun(state, 0, compiled.steps.length, true);
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an instance of ${value.constructor?.name ?? 'Object'}`;
}
