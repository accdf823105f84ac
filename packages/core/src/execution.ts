import { isAbortOf } from './cancellation.js';
import { now } from './clock.js';
import type { CompiledPipeline, CompiledStep } from './compile.js';
import { Stop } from './control.js';
import { OPTIONAL_WITHOUT_HANDLERS_REASON } from './definition.js';
import { recordFailure } from './failure.js';
import { newRunId } from './run-id.js';
import { RunState } from './run-state.js';
import { StepRunImpl } from './step-run.js';
import type { HandlerResult, RunOptions, RunOutcome, RunOutcomeStatus, RunResult, StepRecord } from './types.js';

const noObservers: readonly never[] = [];

/** Starts a top-level run (or a partial run when `full` is false: no finishers, no resource release, no run events). */
export function startRun<C>(
  compiled: CompiledPipeline<C>,
  ctx: C,
  options: RunOptions | undefined,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  const runId = options?.runId ?? newRunId();
  const observers = options?.observer ? [options.observer] : noObservers;
  const state = new RunState(compiled, ctx, runId, undefined, runId, options?.signal, observers);
  return executeRun(state, from, to, full);
}

/** How the step loop ended. */
interface LoopEnd {
  /** The clock at the last step boundary. */
  at: number;
  outcome: RunOutcomeStatus;
  failed: boolean;
  error: unknown;
  failedStep: string | undefined;
}

/**
 * Runs the steps `from` to `to` (exclusive) of a run, then, for a full run, its finishers (K8) and
 * resources (K9). Resolves to the run's result, or rejects with the error that failed it (K3).
 */
export async function executeRun<C>(state: RunState<C>, from: number, to: number, full: boolean): Promise<RunResult<C>> {
  const { compiled, context: ctx, records, signal, emitting } = state;
  const steps = compiled.steps;
  if (full && emitting) state.emit({ type: 'run.started' });
  const startedAt = now();
  // The hot path: steps one after another, each handler called inline and awaited only when it
  // returned a promise. The clock is read once per step boundary: the end of a step is the start
  // of the next.
  let t = startedAt;
  let end: LoopEnd | undefined;
  for (let i = from; i < to && end === undefined; i++) {
    const step = steps[i]!;
    if (signal !== undefined && signal.aborted) {
      end = ended('cancelled', t);
      break;
    }
    state.position = i;

    let skipReason: string | undefined;
    if (step.skip !== undefined) {
      try {
        if (step.skip.predicate(ctx)) skipReason = step.skip.reason;
      } catch (err) {
        end = failStep(state, step, newRecord(step, records), err, t, undefined);
        break;
      }
    }
    // Validation lets a step without handlers through only when it is optional (K5).
    if (skipReason === undefined && !step.hasHandlers) skipReason = OPTIONAL_WITHOUT_HANDLERS_REASON;
    if (skipReason !== undefined) {
      records.push({ step: step.name, status: 'skipped', reason: skipReason, attempts: 0, durationMs: 0 });
      if (emitting) state.emit({ type: 'step.skipped', step: step.name, reason: skipReason });
      continue;
    }

    const record = newRecord(step, records);
    if (emitting) state.emit({ type: 'step.started', step: step.name });
    const run = new StepRunImpl(state, step.name, 1);
    let stopped = false;
    try {
      const chain = step.chain;
      for (let h = 0; h < chain.length; h++) {
        let r: HandlerResult | PromiseLike<HandlerResult> = chain[h]!(ctx, run);
        if (typeof r === 'object' && r !== null && typeof (r as PromiseLike<HandlerResult>).then === 'function') {
          r = await r;
        }
        if (r === Stop || run.subStopped) {
          stopped = true;
          break;
        }
      }
    } catch (err) {
      end = failStep(state, step, record, err, t, run);
      break;
    }
    const t2 = now();
    record.durationMs = t2 - t;
    t = t2;
    if (run.branch !== undefined) record.branch = run.branch;
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
  end ??= ended(signal !== undefined && signal.aborted ? 'cancelled' : 'completed', t);
  // Without finishers or resources the end of the last step is the end of the run: no extra clock read.
  const finishes = full && (compiled.finishers.length > 0 || state.resources !== undefined);
  if (finishes) await finish(state, end);
  const durationMs = (finishes ? now() : end.at) - startedAt;
  if (full && emitting) {
    state.emit({
      type: 'run.finished',
      outcome: end.failed ? 'failed' : end.outcome,
      durationMs,
      ...(end.failed && { error: end.error }),
      ...(!end.failed && end.outcome === 'cancelled' && { error: signal?.reason }),
    });
  }
  if (end.failed) {
    recordFailure(end.error, {
      pipeline: compiled.name,
      step: end.failedStep!,
      runId: state.runId,
      parentRunId: state.parentRunId,
      steps: state.records,
    });
    throw end.error;
  }
  const result: RunResult<C> = {
    runId: state.runId,
    pipeline: compiled.name,
    outcome: end.outcome,
    context: state.context,
    steps: state.records,
    durationMs,
  };
  if (state.parentRunId !== undefined) result.parentRunId = state.parentRunId;
  return result;
}

/**
 * The hot path: steps one after another, each handler called inline and awaited only when it
 * returned a promise. The clock is read once per step boundary; the end of a step is the start of
 * the next.
 */
function newRecord<C>(step: CompiledStep<C>, records: StepRecord[]): StepRecord {
  const record: StepRecord = { step: step.name, status: 'completed', attempts: 1, durationMs: 0 };
  records.push(record);
  return record;
}

function ended(outcome: RunOutcomeStatus, at: number): LoopEnd {
  return { at, outcome, failed: false, error: undefined, failedStep: undefined };
}

function failStep<C>(
  state: RunState<C>,
  step: CompiledStep<C>,
  record: StepRecord,
  err: unknown,
  startedAt: number,
  run: StepRunImpl<C> | undefined,
): LoopEnd {
  const at = now();
  record.durationMs = at - startedAt;
  record.status = 'failed';
  record.error = err;
  if (run?.branch !== undefined) record.branch = run.branch;
  if (state.emitting) state.emit({ type: 'step.failed', step: step.name, error: err });
  // A handler that rejects because the run was cancelled cancels the run; it does not fail it (K10).
  if (isAbortOf(err, state.signal)) return ended('cancelled', at);
  return { at, outcome: 'completed', failed: true, error: err, failedStep: step.name };
}

/**
 * Runs the finishers (K8), then releases the resources in reverse order (K9). On a run that did not
 * fail, the first error of either fails it; on a failed run, the original error wins.
 */
async function finish<C>(state: RunState<C>, end: LoopEnd): Promise<void> {
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
