import type { CompiledStep } from '../../definition/compiled.js';
import { now } from '../clock.js';
import { passWait } from '../policies/wait.js';
import { RunHalt } from '../run-halt.js';
import type { RunState } from '../run-state.js';
import { runChain, runStepAttempts } from './step-attempts.js';
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
  stepStopped,
  type RunEnd,
} from './step-records.js';
import { StepRunImpl } from './step-run.js';

/** Where a run stands after a step: ended (`end`), or going on from the clock reading `t`. */
export interface AfterStep {
  end: RunEnd | undefined;
  t: number;
}

/**
 * One step that is not plain, in full (K1-K12, R1-R6, D2, W1-W4): the run's cancellation, a durable
 * run's replay and commits, skip conditions, steps without handlers, waits, retries and timeouts.
 */
export async function runSlowStep<C>(
  state: RunState<C>,
  step: CompiledStep<C>,
  i: number,
  startedAt: number,
): Promise<AfterStep> {
  const { context: ctx, records, signal, emitting, deadline, journal } = state;
  let t = startedAt;
  if (signal !== undefined && signal.aborted) {
    // A durable run stopped here (its lease lost, its runner closing) ends nothing (D4).
    if (signal.reason instanceof RunHalt) throw signal.reason;
    return { end: deadlinePassed(state, step, t) ?? ended('cancelled', t), t };
  }
  state.position = i;
  // A durable run that resumes takes the records its steps committed before, and runs none of them (D2).
  if (journal !== undefined) {
    const replayed = replayStep(state, journal, step, t);
    if (replayed === 'replayed') return { end: undefined, t };
    if (replayed !== undefined) return { end: replayed, t };
  }
  if (step.skip !== undefined || !step.hasHandlers) {
    const reason = skipReasonOf(step, ctx);
    if (reason instanceof SkipPredicateFailure) {
      const record = predicateFailed(state, step);
      const end = failStep(state, step, record, reason.error, t);
      if (journal !== undefined) await journal.commit(step.name, record, ctx);
      return { end, t: end === undefined ? t + record.durationMs : t };
    }
    if (reason !== undefined) {
      const record = recordSkip(state, step, reason);
      if (journal !== undefined) await journal.commit(step.name, record, ctx);
      return { end: undefined, t };
    }
  }
  const record = newRecord(step, records);
  if (emitting) state.emitStep('step.started', step.name, t);
  let stopped = false;
  try {
    if (step.wait !== undefined) await passWait(state, step);
    if (step.plain && deadline === undefined) {
      // No policy to apply: the handler chain itself, without the attempts' machinery.
      const run = new StepRunImpl(state, step.name, 1);
      stopped = await runChain(step, ctx, run);
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
    const end = failStep(state, step, record, err, t);
    // A cancelled run commits its end, not the step the cancellation interrupted (D7).
    if (journal !== undefined && (end === undefined || end.failed))
      await journal.commit(step.name, record, ctx);
    // continueOnError: the failure is recorded and the run goes on.
    return { end, t: end === undefined ? t + record.durationMs : t };
  }
  const t2 = now();
  record.durationMs = t2 - t;
  t = t2;
  if (stopped) return { end: stepStopped(state, step, record, t), t };
  if (emitting) state.emitStep('step.completed', step.name, t, record.durationMs);
  return { end: undefined, t };
}
