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
 *
 * A branch's sub-run runs in this same loop when it can (`inlineSubRun`): the loop moves to the
 * sub-run's steps, and back to its parent's step once they end, the sub-run then ending as any run
 * does (`endRun`). One frame and one promise then serve the whole tree, and the sub-run's start and
 * end are its parent's step boundaries, read once.
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
  // The run whose steps the loop is at: `state`, or a branch's sub-run running inline.
  let cur = state as RunState<unknown>;
  let last = to;
  steps: for (let i = from; ; i++) {
    let step: CompiledStep<unknown>;
    let run: StepRunImpl<unknown>;
    let stopped = false;
    let t2: number;
    if (i < last && end === undefined) {
      step = cur.compiled.steps[i]!;
      if (!isPlain(cur, step)) {
        ({ end, t } = await runSlowStep(cur, step, i, t));
        continue;
      }
      cur.position = i;
      if (cur.emitting) cur.emitStep('step.started', step.name, t);
      run = new StepRunImpl(cur, step.name, 1);
      try {
        for (let h = 0; h < step.chain.length; h++) {
          let r: HandlerResult | PromiseLike<HandlerResult> =
            step.branchLast && h === step.chain.length - 1
              ? (step.chain[h] as BranchDispatch)(cur.context, run, true)
              : step.chain[h]!(cur.context, run);
          if (
            typeof r === 'object' &&
            r !== null &&
            typeof (r as PromiseLike<HandlerResult>).then === 'function'
          )
            r = await r;
          if (run.pendingBranch !== undefined) {
            const sub = run.inlineSub;
            if (sub !== undefined) {
              // The branch's sub-run starts where its parent's step did (K6, K7).
              run.inlineSub = undefined;
              sub.inlineOrigin = run;
              sub.inlineStartedAt = t;
              cur = sub;
              last = sub.compiled.steps.length;
              i = -1;
              continue steps;
            }
            // A branch's sub-run, whose result settles the step here (K6).
            r = run.settleBranch(r as never);
          }
          if (r === Stop || run.subStopped) {
            stopped = true;
            break;
          }
        }
      } catch (err) {
        if (err instanceof RunHalt) throw err;
        ({ end, t } = stepFailed(cur, step, err, t));
        continue;
      }
      t2 = now();
    } else {
      if (cur === state) break;
      // An inline sub-run's steps are done: it ends as any run does, and settles its parent's step.
      const sub = cur;
      const subStart = sub.inlineStartedAt!;
      run = sub.inlineOrigin as StepRunImpl<unknown>;
      cur = sub.parent!;
      last = cur === state ? to : cur.compiled.steps.length;
      i = cur.position;
      step = cur.compiled.steps[i]!;
      const subEnd = end;
      end = undefined;
      let result: RunResult<unknown>;
      try {
        const ending = endRun(sub, subEnd, subStart, sub.compiled.steps.length, true, t);
        result = ending instanceof Promise ? await ending : (ending as RunResult<unknown>);
      } catch (err) {
        if (err instanceof RunHalt) throw err;
        ({ end, t } = stepFailed(cur, step, err, subStart));
        continue;
      }
      run.settleBranch(result);
      stopped = run.subStopped === true;
      t = subStart;
      // The sub-run's end is its parent's step's: no clock reading of its own.
      t2 = subStart + result.durationMs;
    }
    const durationMs = t2 - t;
    t = t2;
    if (stopped || run.branch !== undefined) {
      // A record that is more than its step and duration is made now; the others when read.
      const record = newRecord(step, cur.records);
      record.durationMs = durationMs;
      if (run.branch !== undefined) record.branch = run.branch;
      if (stopped) {
        end = stepStopped(cur, step, record, t);
        continue;
      }
    } else {
      // Written here rather than in a method of the state: this function is too big to inline one.
      if (cur.pendingCount === 0) cur.pendingFrom = i;
      (cur.pendingDurations ??= new Array<number>(cur.compiled.steps.length))[cur.pendingCount++] =
        durationMs;
    }
    if (cur.emitting) cur.emitStep('step.completed', step.name, t, durationMs);
  }
  return endRun(state, end, startedAt, to, full, t);
}

/**
 * A fast-path step whose handler threw (or whose branch's sub-run failed): its record, and how the run
 * goes on. Under `continueOnError` the run goes on from the clock reading of the failure.
 */
function stepFailed(
  state: RunState<unknown>,
  step: CompiledStep<unknown>,
  err: unknown,
  startedAt: number,
): { end: RunEnd | undefined; t: number } {
  const record = newRecord(step, state.records);
  const end = failStep(state, step, record, err, startedAt);
  return { end, t: startedAt + record.durationMs };
}

/** The dispatch of a conditional step, called by the hot loop with leave to run a sub-run inline. */
type BranchDispatch = (ctx: unknown, run: StepRunImpl<unknown>, inline: true) => HandlerResult;

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
