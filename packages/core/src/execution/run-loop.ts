import { Stop } from '../definition/control.js';
import type { HandlerResult } from '../types/handlers.js';
import type { RunResult } from '../types/records.js';
import { now } from './clock.js';
import { runGraph } from './graph-scheduler.js';
import type { RunState } from './run-state.js';
import { fail, resultOf, settleRun } from './settle.js';
import { runStepAttempts } from './step-attempts.js';
import { passWait } from './policies/wait.js';
import { RunHalt } from './run-halt.js';
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
} from './step-records.js';
import { StepRunImpl } from './step-run.js';

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
  const { compiled, context: ctx, records, signal, emitting, deadline, journal } = state;
  const steps = compiled.steps;
  if (full && emitting && !state.resumed) state.emit({ type: 'run.started' });
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
      // A durable run stopped here (its lease lost, its runner closing) ends nothing (D4).
      if (signal.reason instanceof RunHalt) throw signal.reason;
      end = deadlinePassed(state, step, t) ?? ended('cancelled', t);
      break;
    }
    state.position = i;
    // A durable run that resumes takes the records its steps committed before, and runs none of them (D2).
    if (journal !== undefined) {
      const replayed = replayStep(state, journal, step, t);
      if (replayed === 'replayed') continue;
      if (replayed !== undefined) {
        end = replayed;
        break;
      }
    }

    // Most steps have neither a skip condition nor a missing handler: they skip the call altogether.
    if (step.skip !== undefined || !step.hasHandlers) {
      const reason = skipReasonOf(step, ctx);
      if (reason instanceof SkipPredicateFailure) {
        const record = predicateFailed(state, step);
        end = failStep(state, step, record, reason.error, t);
        if (journal !== undefined) await journal.commit(step.name, record, ctx);
        if (end !== undefined) break;
        t += record.durationMs;
        continue;
      }
      if (reason !== undefined) {
        const record = recordSkip(state, step, reason);
        if (journal !== undefined) await journal.commit(step.name, record, ctx);
        continue;
      }
    }

    const record = newRecord(step, records);
    if (emitting) state.emit({ type: 'step.started', step: step.name });
    let stopped = false;
    try {
      if (step.wait !== undefined) await passWait(state, step);
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
      // A durable run commits the step before the next starts (D2); a context that cannot be
      // committed fails the step (D3).
      if (journal !== undefined) {
        record.durationMs = now() - t;
        if (stopped) record.status = 'stopped';
        await journal.commit(step.name, record, ctx);
      }
    } catch (err) {
      if (err instanceof RunHalt) throw err;
      end = failStep(state, step, record, err, t);
      // A cancelled run commits its end, not the step the cancellation interrupted (D7).
      if (journal !== undefined && (end === undefined || end.failed))
        await journal.commit(step.name, record, ctx);
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
    if (signal !== undefined && signal.reason instanceof RunHalt) throw signal.reason;
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
