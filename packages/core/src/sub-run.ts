import type { CompiledPipeline } from './compile.js';
import { executeRun } from './execution.js';
import { newRunId } from './run-id.js';
import { RunState } from './run-state.js';
import type { StepRunImpl } from './step-run.js';
import type { RunResult } from './types.js';

const pipelineBrand = Symbol.for('orka:pipeline');

interface Compilable<S> {
  name: string;
  compile(): CompiledPipeline<S>;
}

/**
 * Runs `sub` as a full run under the step `parent` (K7): its own run id, the parent's as
 * `parentRunId`, the parent's cancellation and observers.
 */
export function startSubRun<P, S>(parent: StepRunImpl<P>, sub: unknown, input: S): Promise<RunResult<S>> {
  if (typeof sub !== 'object' || sub === null || (sub as Record<symbol, unknown>)[pipelineBrand] !== true) {
    return Promise.reject(
      new TypeError(
        `Step "${parent.step}" of pipeline "${parent.pipeline}" asked for a sub-run of something that is not a pipeline ` +
          `(${describeValue(sub)}): pass a Pipeline instance.`,
      ),
    );
  }
  let compiled: CompiledPipeline<S>;
  try {
    compiled = (sub as Compilable<S>).compile();
  } catch (err) {
    return Promise.reject(err);
  }
  const state = new RunState<S>(
    compiled,
    input,
    newRunId(),
    parent.runId,
    parent.rootRunId,
    parent.abortSource(),
    parent.state.observers,
  );
  // A sub-run lives within its parent's deadline (R2).
  state.deadline = parent.state.deadline;
  return executeRun(state, 0, compiled.steps.length, true);
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an instance of ${value.constructor?.name ?? 'Object'}`;
}
