import { waitsNeedDurable } from '../../errors/waits-need-durable.js';
import type { CompiledPipeline } from '../../definition/compiled.js';
import { isBrandedPipeline, type Compilable } from '../../definition/pipeline-brand.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { RunResult } from '../../types/records.js';
import { withContext } from '../prepare-context.js';
import { executeEntered } from '../run-loop.js';
import { RunState, type SubRunLabel, type SubRunOrigin } from '../run-state.js';

/**
 * Runs `source` as a full run under the step `origin` (K7): its own run id, the parent's as
 * `parentRunId`, the parent's cancellation, deadline and observers. `sharedWithParent` says that
 * `input` is the parent's own context object (a branch without an extractor).
 */
export function startSubRun<S>(
  origin: SubRunOrigin,
  source: unknown,
  input: S,
  /** Tells this sub-run apart from the step's others, for a durable run's step keys (D2). */
  label: SubRunLabel,
  sharedWithParent = false,
  /** The result goes to the branch dispatch only, which reads neither of its ids. */
  internal = false,
): Promise<RunResult<S>> {
  const parent = origin.parentRun();
  const sub = pipelineOf(parent, source);
  if (sub === undefined) {
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
    compiled = sub.compile() as CompiledPipeline<S>;
  } catch (err) {
    return Promise.reject(err);
  }
  const name = typeof label === 'function' ? label(compiled.name) : label;
  // Most sub-pipelines have no prepare hook: launched at once, with no closure made for the hook.
  if (compiled.prepare === undefined)
    return launchSubRun(origin, parent, compiled, input, name, sharedWithParent, internal);
  return withContext(
    compiled,
    input,
    () => ({ parentRunId: origin.runId, sharedWithParent }),
    (ctx: S) => launchSubRun(origin, parent, compiled, ctx, name, sharedWithParent, internal),
  );
}

function launchSubRun<S>(
  origin: SubRunOrigin,
  parent: RunState<unknown>,
  compiled: CompiledPipeline<S>,
  input: S,
  label: string,
  shared: boolean,
  internal: boolean,
): Promise<RunResult<S>> {
  // A durable parent's sub-run is durable too, and resumes on the context it committed last (D2).
  const journal = parent.journal?.child(origin.step, label, shared, compiled as CompiledPipeline<unknown>);
  if (journal === undefined && compiled.firstWait !== undefined)
    return Promise.reject(waitsNeedDurable(compiled.name, compiled.firstWait));
  const state = subRunState(
    origin,
    parent,
    compiled,
    journal === undefined ? input : journal.restore(input),
    internal,
  );
  if (journal !== undefined) state.journal = journal;
  if (parent.enterRun !== undefined) state.enterRun = parent.enterRun;
  return executeEntered(state, 0, compiled.steps.length, true);
}

/**
 * The state of a branch's sub-run that the executor's hot loop runs inline, within its parent's
 * frame (K6, K7): a run of its own (id, records, finishers, resources), with no async frame, promise
 * or clock reading of its own to start and end it. Undefined when the sub-run needs the full start
 * (`startSubRun`): a context hook, waits, concurrent steps, a journal, an `enterRun` hook or observers
 * (whose `run.started` comes before its first step), or a source that does not compile.
 */
export function inlineSubRun<S>(origin: SubRunOrigin, source: unknown, input: S): RunState<S> | undefined {
  const parent = origin.parentRun();
  if (parent.journal !== undefined || parent.enterRun !== undefined || parent.emitting) return undefined;
  const sub = pipelineOf(parent, source);
  if (sub === undefined) return undefined;
  let compiled: CompiledPipeline<S>;
  try {
    compiled = sub.compile() as CompiledPipeline<S>;
  } catch {
    // startSubRun fails the step with the error.
    return undefined;
  }
  if (compiled.prepare !== undefined || compiled.firstWait !== undefined || !compiled.sequential)
    return undefined;
  return subRunState(origin, parent, compiled, input, true);
}

/** A sub-run's state: the parent's signal (or the step's), observers, deadline (R2) and resolver. */
function subRunState<S>(
  origin: SubRunOrigin,
  parent: RunState<unknown>,
  compiled: CompiledPipeline<S>,
  input: S,
  internal: boolean,
): RunState<S> {
  const state = new RunState<S>(
    compiled,
    input,
    undefined,
    parent,
    origin.abortSource(),
    parent.observers,
    parent.composition,
  );
  // Set only when there is something to set: an assigned field, even undefined, grows every state.
  if (parent.deadline !== undefined) state.deadline = parent.deadline;
  if (parent.resolvePipeline !== undefined) state.resolvePipeline = parent.resolvePipeline;
  if (internal) state.internal = true;
  return state;
}

/** The pipeline `source` is, or the one the run's resolver finds for it. */
function pipelineOf(parent: RunState<unknown>, source: unknown): Compilable<unknown> | undefined {
  const sub = isBrandedPipeline(source) ? source : parent.resolvePipeline?.(source);
  return isBrandedPipeline(sub) ? (sub as Compilable<unknown>) : undefined;
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an instance of ${value.constructor?.name ?? 'Object'}`;
}
