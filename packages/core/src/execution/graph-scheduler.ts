import { now } from './clock.js';
import type { CompiledStep } from '../definition/compiled.js';
import { linkAbort } from './policies/deadline.js';
import { RunHalt } from './run-halt.js';
import type { RunState } from './run-state.js';
import { runStepAttempts } from './step/step-attempts.js';
import { passWait } from './policies/wait.js';
import {
  deadlinePassed,
  ended,
  failStep,
  newRecord,
  predicateFailed,
  recordSkip,
  replayStep,
  skipReasonOf,
  SkipPredicateFailure,
  type RunEnd,
} from './step/step-records.js';

const pending = 0;
const running = 1;
const finished = 2;

/** Aborts the steps still running beside a step that failed. */
class SiblingFailedError extends Error {
  override name = 'AbortError';
  constructor(step: string) {
    super(`Aborted because step "${step}" failed beside this one.`);
  }
}

/**
 * Runs steps by their dependencies (R4): every step whose dependencies have finished starts at once,
 * in declared order, so independent steps run concurrently. A `Stop` lets the running steps finish
 * and starts no new one; a failure aborts the running steps' signals, waits for them to settle, and
 * fails the run with the first error; a deadline fails the run without waiting.
 */
export async function runGraph<C>(state: RunState<C>, from: number, to: number): Promise<RunEnd> {
  const { compiled, context: ctx, records, signal, emitting, journal } = state;
  const steps = compiled.steps;
  const status = new Uint8Array(steps.length);
  // Dependencies outside the range of a partial run count as met.
  const unmet = steps.map((s) => s.deps.filter((d) => d >= from && d < to).length);
  const controllers = new Map<number, AbortController>();
  const runningSteps: string[] = (state.running = []);
  let stopped = false;
  let cancelled = false;
  let failure: RunEnd | undefined;
  let halt: RunHalt | undefined;
  let wake: () => void = () => undefined;

  const finish = (i: number): void => {
    status[i] = finished;
    for (const d of compiled.dependents[i]!) unmet[d]!--;
  };

  const start = (step: CompiledStep<C>): void => {
    const record = newRecord(step, records);
    const startedAt = now();
    if (emitting) state.emitStep('step.started', step.name, startedAt);
    const controller = new AbortController();
    const unlink = linkAbort(signal, controller);
    controllers.set(step.index, controller);
    status[step.index] = running;
    runningSteps.push(step.name);
    const failed = (err: unknown): void => {
      if (err instanceof RunHalt) {
        halt = err;
        settle(step, unlink);
        return;
      }
      const end = failStep(state, step, record, err, startedAt);
      const after = () => {
        settle(step, unlink);
        if (end === undefined) return finish(step.index);
        status[step.index] = finished;
        if (end.failed && failure === undefined && !(err instanceof SiblingFailedError)) fail(end, step);
        else if (!end.failed) cancelled = true;
      };
      if (end === undefined || end.failed) committed(after, failed);
      else after();
    };
    // A durable run commits each step before the steps that wait for it start (D2).
    const committed = (then: () => void, otherwise: (err: unknown) => void): void => {
      if (journal === undefined) return then();
      journal.commit(step.name, record, ctx).then(then, (err: unknown) => {
        if (err instanceof RunHalt || record.status === 'failed') {
          halt = err instanceof RunHalt ? err : new RunHalt('lease-lost');
          settle(step, unlink);
          for (const c of controllers.values()) c.abort(halt);
        } else {
          otherwise(err);
        }
      });
    };
    const attempts = () => runStepAttempts(state, step, record, controller.signal);
    (step.wait === undefined ? attempts() : passWait(state, step).then(attempts)).then((stop) => {
      const endedAt = now();
      record.durationMs = endedAt - startedAt;
      if (stop) record.status = 'stopped';
      committed(() => {
        if (stop) {
          if (emitting) state.emit({ type: 'step.stopped', step: step.name });
          stopped = true;
        } else if (emitting) {
          state.emitStep('step.completed', step.name, endedAt, record.durationMs);
        }
        settle(step, unlink);
        if (!stop) finish(step.index);
      }, failed);
    }, failed);
  };

  // The first failure aborts the steps running beside it; the run then waits for them (R4).
  const fail = (end: RunEnd, step: CompiledStep<C>): void => {
    failure = end;
    for (const [i, c] of controllers) if (i !== step.index) c.abort(new SiblingFailedError(step.name));
  };

  const settle = (step: CompiledStep<C>, unlink: () => void): void => {
    unlink();
    controllers.delete(step.index);
    runningSteps.splice(runningSteps.indexOf(step.name), 1);
    wake();
  };

  // A durable run that resumes takes the records its steps committed before (D2).
  if (journal !== undefined) {
    for (let i = from; i < to && failure === undefined && !stopped; i++) {
      const replayed = replayStep(state, journal, steps[i]!, now());
      if (replayed === undefined) continue;
      if (replayed === 'replayed') finish(i);
      else if (replayed.failed) failure = replayed;
      else stopped = true;
      status[i] = finished;
    }
  }

  for (;;) {
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let progressed = true;
    while (progressed && !stopped && !failure && !cancelled && !halt) {
      progressed = false;
      for (let i = from; i < to; i++) {
        if (status[i] !== pending || unmet[i] !== 0) continue;
        const step = steps[i]!;
        if (signal?.aborted) {
          if (signal.reason instanceof RunHalt) {
            halt = signal.reason;
            break;
          }
          failure = deadlinePassed(state, step, now());
          if (!failure) cancelled = true;
          break;
        }
        const reason = skipReasonOf(step, ctx);
        if (reason instanceof SkipPredicateFailure) {
          const record = predicateFailed(state, step);
          const end = failStep(state, step, record, reason.error, now());
          if (journal !== undefined) await journal.commit(record.step, record, ctx);
          if (end !== undefined) {
            fail(end, step);
            break;
          }
          finish(i);
          progressed = true;
          continue;
        }
        if (reason !== undefined) {
          const record = recordSkip(state, step, reason);
          if (journal !== undefined) await journal.commit(record.step, record, ctx);
          finish(i);
          progressed = true;
          continue;
        }
        start(step);
      }
    }
    if (controllers.size === 0) break;
    if (state.deadline) await Promise.race([woken, state.deadline.expired.catch(() => undefined)]);
    else await woken;
    // At the deadline the run does not wait for the handlers it aborted (R2).
    const deadlineError = state.deadline?.error;
    if (deadlineError && !failure) {
      failure = {
        at: now(),
        outcome: 'completed',
        failed: true,
        error: deadlineError,
        failedStep: (state.parent === undefined ? deadlineError.step : undefined) ?? runningSteps[0],
      };
      for (const c of controllers.values()) c.abort(deadlineError);
      break;
    }
    if (failure?.error === deadlineError && deadlineError) break;
  }
  if (halt) throw halt;
  if (signal?.reason instanceof RunHalt) throw signal.reason;
  if (failure) return failure;
  const at = now();
  if (cancelled || (signal?.aborted && !stopped)) return ended('cancelled', at);
  return ended(stopped ? (signal?.aborted ? 'cancelled' : 'stopped') : 'completed', at);
}
