import { recordFailure } from '../errors/run-failure.js';
import type { RunOutcome, RunResult } from '../types/records.js';
import { now } from './clock.js';
import { compensate } from './policies/compensation.js';
import type { RunState } from './run-state.js';
import type { RunEnd } from './step/step-records.js';

/**
 * The end of a full run that has more to do: compensations of a failed run (R3), finishers (K8),
 * resources (K9), the `run.finished` event, the failure record (K3).
 */
export async function settleRun<C>(
  state: RunState<C>,
  end: RunEnd,
  startedAt: number,
): Promise<RunResult<C>> {
  const { compiled } = state;
  let durationMs = end.at - startedAt;
  if (end.failed || (end.outcome === 'cancelled' && compiled.compensateOnCancel))
    await compensate(state, end);
  if (compiled.finishers.length > 0 || state.resources !== undefined) {
    await finish(state, end);
    durationMs = now() - startedAt;
  }
  state.release();
  if (state.emitting) {
    state.emit({
      type: 'run.finished',
      outcome: end.failed ? 'failed' : end.outcome,
      durationMs,
      ...(end.failed && { error: end.error }),
      ...(!end.failed && end.outcome === 'cancelled' && { error: state.signal?.reason }),
    });
  }
  if (end.failed) fail(state, end);
  return resultOf(state, end, durationMs);
}

/** Records where the run's error came from, and throws it (K3). */
export function fail<C>(state: RunState<C>, end: RunEnd): never {
  recordFailure(end.error, {
    pipeline: state.compiled.name,
    step: end.failedStep!,
    runId: state.runId,
    parentRunId: state.parentRunId,
    rootRunId: state.rootRunId,
    steps: state.records,
  });
  throw end.error;
}

export function resultOf<C>(state: RunState<C>, end: RunEnd, durationMs: number): RunResult<C> {
  const result: RunResult<C> = {
    // A branch's sub-run hands its result to the dispatch alone, which reads neither id: such a run
    // makes its id only if something else asks for it (an observer, a handler, a failure).
    runId: state.internal ? '' : state.runId,
    pipeline: state.compiled.name,
    outcome: end.outcome,
    context: state.context,
    steps: state.records,
    durationMs,
  };
  if (state.parent !== undefined && !state.internal) result.parentRunId = state.parentRunId;
  return result;
}

/**
 * Runs the finishers (K8), then releases the resources in reverse order (K9). On a run that did not
 * fail, the first error of either fails it; on a failed run, the original error wins.
 */
async function finish<C>(state: RunState<C>, end: RunEnd): Promise<void> {
  const outcome: RunOutcome = {
    status: end.failed ? 'failed' : end.outcome,
    runId: state.runId,
    pipeline: state.compiled.name,
  };
  if (end.failed) outcome.error = end.error;
  else if (end.outcome === 'cancelled') outcome.error = state.signal?.reason;

  let laterError: { error: unknown; step: string } | undefined;
  // A durable run's finishers run once they have not all run before (D2), and commit that they did.
  const journal = state.journal;
  const finishers = journal?.finished() ? [] : state.compiled.finishers;
  for (const finisher of finishers) {
    try {
      const r = finisher(state.context, outcome);
      if (typeof r === 'object' && r !== null && typeof (r as PromiseLike<void>).then === 'function') await r;
    } catch (err) {
      laterError ??= { error: err, step: 'onFinish' };
    }
  }
  if (journal !== undefined && finishers.length > 0 && laterError === undefined) {
    await journal.commitFinished(state.context);
  }
  if (state.resources !== undefined && state.resources.size > 0) {
    const errors = await state.resources.releaseAll();
    if (errors.length > 0) laterError ??= { error: errors[0], step: 'resources' };
  }
  if (laterError && !end.failed) {
    end.failed = true;
    end.error = laterError.error;
    end.failedStep = laterError.step;
  }
}
