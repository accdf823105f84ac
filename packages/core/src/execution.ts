import { now } from './clock.js';
import type { CompiledPipeline } from './compile.js';
import { compensate } from './compensation.js';
import { Stop } from './control.js';
import { RunDeadline } from './deadline.js';
import { withContext } from './prepare-context.js';
import { recordFailure } from './failure.js';
import { runGraph } from './graph-execution.js';
import { deadlinePassed, ended, failStep, newRecord, predicateFailed, type RunEnd } from './run-end.js';
import { RunState } from './run-state.js';
import { runStepAttempts } from './step-attempts.js';
import { recordSkip, skipReasonOf, SkipPredicateFailure } from './step-skip.js';
import { StepRunImpl } from './step-run.js';
import type { ContextOrigin, HandlerResult, RunOptions, RunOutcome, RunResult } from './types.js';

const noObservers: readonly never[] = [];
const topLevel = (): ContextOrigin => ({ sharedWithParent: false });

/** Starts a top-level run (or a partial run when `full` is false: no finishers, no resource release, no run events). */
export function startRun<C>(
  compiled: CompiledPipeline<C>,
  input: C,
  options: RunOptions | undefined,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  const deadlineMs = options?.deadlineMs;
  if (deadlineMs !== undefined && !(deadlineMs > 0)) {
    return Promise.reject(
      new RangeError(
        `deadlineMs of a run of pipeline "${compiled.name}" must be a positive number, got ${deadlineMs}.`,
      ),
    );
  }
  return withContext(compiled, input, topLevel, (ctx: C) => launch(compiled, ctx, options, from, to, full));
}

function launch<C>(
  compiled: CompiledPipeline<C>,
  ctx: C,
  options: RunOptions | undefined,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  const runId = options?.runId;
  const observers = options?.observer ? [options.observer] : noObservers;
  const deadlineMs = options?.deadlineMs;
  if (deadlineMs === undefined) {
    const state = new RunState(compiled, ctx, runId, undefined, options?.signal, observers);
    state.resolvePipeline = options?.resolvePipeline;
    return executeRun(state, from, to, full);
  }
  // The callback runs at the deadline, long after `state` exists.
  const deadline = new RunDeadline(
    compiled.name,
    deadlineMs,
    options?.signal,
    () => state.running?.[0] ?? compiled.steps[state.position]?.name,
  );
  const state: RunState<C> = new RunState(compiled, ctx, runId, undefined, deadline.signal, observers);
  state.deadline = deadline;
  state.resolvePipeline = options?.resolvePipeline;
  return executeRun(state, from, to, full).finally(() => deadline.dispose());
}

/**
 * Runs the steps `from` to `to` (exclusive) of a run; then, for a full run, the compensations of a
 * failed run (R3), the finishers (K8) and the resources (K9). Resolves to the run's result, or
 * rejects with the error that failed it (K3).
 */
export async function executeRun<C>(
  state: RunState<C>,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  const { compiled, context: ctx, records, signal, emitting, deadline } = state;
  const steps = compiled.steps;
  if (full && emitting) state.emit({ type: 'run.started' });
  const startedAt = now();
  let end: RunEnd | undefined;
  if (!compiled.sequential) end = await runGraph(state, from, to);

  // The hot path: steps one after another, each handler called inline and awaited only when it
  // returned a promise. The clock is read once per step boundary: the end of a step is the start
  // of the next. Steps with policies, or any step of a run with a deadline, take the slower path.
  let t = startedAt;
  for (let i = from; i < to && end === undefined; i++) {
    const step = steps[i]!;
    if (signal !== undefined && signal.aborted) {
      end = deadlinePassed(state, step, t) ?? ended('cancelled', t);
      break;
    }
    state.position = i;

    // Most steps have neither a skip condition nor a missing handler: they skip the call altogether.
    if (step.skip !== undefined || !step.hasHandlers) {
      const reason = skipReasonOf(step, ctx);
      if (reason instanceof SkipPredicateFailure) {
        const record = predicateFailed(state, step);
        end = failStep(state, step, record, reason.error, t);
        if (end !== undefined) break;
        t += record.durationMs;
        continue;
      }
      if (reason !== undefined) {
        recordSkip(state, step, reason);
        continue;
      }
    }

    const record = newRecord(step, records);
    if (emitting) state.emit({ type: 'step.started', step: step.name });
    let stopped = false;
    try {
      if (step.plain && deadline === undefined) {
        const run = new StepRunImpl(state, step.name, 1);
        const chain = step.chain;
        for (let h = 0; h < chain.length; h++) {
          let r: HandlerResult | PromiseLike<HandlerResult> = chain[h]!(ctx, run);
          if (
            typeof r === 'object' &&
            r !== null &&
            typeof (r as PromiseLike<HandlerResult>).then === 'function'
          ) {
            r = await r;
          }
          if (r === Stop || run.subStopped) {
            stopped = true;
            break;
          }
        }
        if (run.branch !== undefined) record.branch = run.branch;
      } else {
        stopped = await runStepAttempts(state, step, record, signal);
      }
    } catch (err) {
      end = failStep(state, step, record, err, t);
      if (end !== undefined) break;
      // continueOnError: the failure is recorded and the run goes on.
      t += record.durationMs;
      continue;
    }
    const t2 = now();
    record.durationMs = t2 - t;
    t = t2;
    if (stopped) {
      record.status = 'stopped';
      if (emitting) state.emit({ type: 'step.stopped', step: step.name });
      // A Stop while the run is being cancelled reports the cancellation (K10).
      end = ended(signal !== undefined && signal.aborted ? 'cancelled' : 'stopped', t);
      break;
    }
    if (emitting) state.emit({ type: 'step.completed', step: step.name, durationMs: record.durationMs });
  }
  // The signal is also checked after the last step (section 4).
  if (end === undefined) {
    const last = steps[to - 1];
    end =
      (last && deadlinePassed(state, last, t)) ||
      ended(signal !== undefined && signal.aborted ? 'cancelled' : 'completed', t);
  }

  // The end of a run that needs nothing more (no failure, finisher, resource or listener) stays here;
  // the rest is in a function of its own, so that the frame every run in flight holds stays small.
  if (
    full &&
    (end.failed ||
      emitting ||
      compiled.finishers.length > 0 ||
      state.resources !== undefined ||
      (end.outcome === 'cancelled' && compiled.compensateOnCancel))
  ) {
    return settleRun(state, end, startedAt);
  }
  state.release();
  if (end.failed) fail(state, end);
  // The end of the last step is the end of the run: no extra clock read.
  return resultOf(state, end, end.at - startedAt);
}

/**
 * The end of a full run that has more to do: compensations of a failed run (R3), finishers (K8),
 * resources (K9), the `run.finished` event, the failure record (K3).
 */
async function settleRun<C>(state: RunState<C>, end: RunEnd, startedAt: number): Promise<RunResult<C>> {
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
function fail<C>(state: RunState<C>, end: RunEnd): never {
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

function resultOf<C>(state: RunState<C>, end: RunEnd, durationMs: number): RunResult<C> {
  const result: RunResult<C> = {
    // A branch's sub-run hands its result to the dispatch alone, which reads neither id: such a run
    // makes its id only if something else asks for it (an observer, a handler, a failure).
    runId: state.resultSeenByUser ? state.runId : '',
    pipeline: state.compiled.name,
    outcome: end.outcome,
    context: state.context,
    steps: state.records,
    durationMs,
  };
  if (state.parent !== undefined && state.resultSeenByUser) result.parentRunId = state.parentRunId;
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
  for (const finisher of state.compiled.finishers) {
    try {
      const r = finisher(state.context, outcome);
      if (typeof r === 'object' && r !== null && typeof (r as PromiseLike<void>).then === 'function') await r;
    } catch (err) {
      laterError ??= { error: err, step: 'onFinish' };
    }
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
