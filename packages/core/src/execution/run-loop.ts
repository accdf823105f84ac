import { Stop } from '../definition/control.js';
import type { CompiledStep } from '../definition/compiled.js';
import type { HandlerResult } from '../types/handlers.js';
import type { RunResult } from '../types/records.js';
import { now } from './clock.js';
import { runGraph } from './graph-scheduler.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import { fail, resultOf, settleRun } from './settle.js';
import { runSlowStep } from './step/slow-step.js';
import { deadlinePassed, ended, failStep, newRecord, stepStopped, type RunEnd } from './step/step-records.js';
import { StepRunImpl } from './step/step-run.js';

/**
 * Runs the steps `from` to `to` (exclusive) of a run; then, for a full run, the compensations of a
 * failed run (R3), the finishers (K8) and the resources (K9). Resolves to the run's result, or
 * rejects with the error that failed it (K3).
 *
 * This function is the hot path, and its frame is what every run in flight holds while a handler
 * awaits: it keeps few locals, and hands every step that is not plain (a skip condition, a policy, a
 * wait, a journal, a deadline, a cancelled run) to `runSlowStep`. A plain step's handlers are called
 * inline and awaited only when they return a promise; the clock is read once per step boundary.
 */
export async function executeRun<C>(
  state: RunState<C>,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  if (full && state.emitting && !state.resumed) state.emit({ type: 'run.started' });
  const startedAt = now();
  let end = state.compiled.sequential ? undefined : await runGraph(state, from, to);
  let t = startedAt;
  for (let i = from; i < to && end === undefined; i++) {
    const step = state.compiled.steps[i]!;
    if (!isPlain(state, step)) {
      ({ end, t } = await runSlowStep(state, step, i, t));
      continue;
    }
    state.position = i;
    const record = newRecord(step, state.records);
    if (state.emitting) state.emit({ type: 'step.started', step: step.name });
    const run = new StepRunImpl(state, step.name, 1);
    let stopped = false;
    try {
      for (let h = 0; h < step.chain.length; h++) {
        let r: HandlerResult | PromiseLike<HandlerResult> = step.chain[h]!(state.context, run);
        if (
          typeof r === 'object' &&
          r !== null &&
          typeof (r as PromiseLike<HandlerResult>).then === 'function'
        )
          r = await r;
        // A branch's sub-run, whose result settles the step here (K6).
        if (run.pendingBranch !== undefined) r = run.settleBranch(r as never);
        if (r === Stop || run.subStopped) {
          stopped = true;
          break;
        }
      }
    } catch (err) {
      if (err instanceof RunHalt) throw err;
      end = failStep(state, step, record, err, t);
      // continueOnError: the failure is recorded and the run goes on.
      if (end === undefined) t += record.durationMs;
      continue;
    }
    if (run.branch !== undefined) record.branch = run.branch;
    const t2 = now();
    record.durationMs = t2 - t;
    t = t2;
    if (stopped) end = stepStopped(state, step, record, t);
    else if (state.emitting)
      state.emit({ type: 'step.completed', step: step.name, durationMs: record.durationMs });
  }
  return endRun(state, end, startedAt, to, full, t);
}

/**
 * `executeRun` inside the run's `enterRun` hook (a framework's context store, inherited by sub-runs),
 * when it has one: the hook wraps the whole of the run, once.
 */
export function executeEntered<C>(
  state: RunState<C>,
  from: number,
  to: number,
  full: boolean,
): Promise<RunResult<C>> {
  const enterRun = state.enterRun;
  if (enterRun === undefined) return executeRun(state, from, to, full);
  return enterRun(state, () => executeRun(state, from, to, full));
}

/** A step the hot path runs itself: no skip, no policy, no wait, not durable, no deadline, not cancelled. */
function isPlain<C>(state: RunState<C>, step: CompiledStep<C>): boolean {
  return (
    step.plain &&
    step.hasHandlers &&
    step.skip === undefined &&
    state.journal === undefined &&
    state.deadline === undefined &&
    state.signal?.aborted !== true
  );
}

/**
 * How the run ends once its steps are done: the signal is checked after the last step too (K10); a run
 * that needs nothing more (no failure, finisher, resource or listener) ends here, the rest in
 * `settleRun`, so that the frame every run in flight holds stays small.
 */
function endRun<C>(
  state: RunState<C>,
  stepsEnd: RunEnd | undefined,
  startedAt: number,
  to: number,
  full: boolean,
  t: number,
): RunResult<C> | Promise<RunResult<C>> {
  const { signal, compiled } = state;
  let end = stepsEnd;
  if (end === undefined) {
    if (signal !== undefined && signal.reason instanceof RunHalt) throw signal.reason;
    const last = compiled.steps[to - 1];
    end =
      (last && deadlinePassed(state, last, t)) ||
      ended(signal?.aborted === true ? 'cancelled' : 'completed', t);
  }
  if (
    full &&
    (end.failed ||
      state.emitting ||
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
