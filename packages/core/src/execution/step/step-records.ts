import { isAbortOf } from '../policies/cancellation.js';
import { now } from '../clock.js';
import type { CompiledStep } from '../../definition/compiled.js';
import { OPTIONAL_WITHOUT_HANDLERS_REASON } from '../../definition/definition.js';
import type { RunJournal } from '../run-journal.js';
import type { RunState } from '../run-state.js';
import type { RunOutcomeStatus, StepRecord } from '../../types/records.js';

/** How the steps of a run ended, before compensation, finishers and resources. */
export interface RunEnd {
  /** The clock at the last step boundary. */
  at: number;
  outcome: RunOutcomeStatus;
  failed: boolean;
  error: unknown;
  /** The step that failed the run, for `runFailure`. */
  failedStep: string | undefined;
}

/** A run that ended without failing. */
export function ended(outcome: RunOutcomeStatus, at: number): RunEnd {
  return { at, outcome, failed: false, error: undefined, failedStep: undefined };
}

/** Appends a record for a step that starts now. */
export function newRecord<C>(step: CompiledStep<C>, records: StepRecord[]): StepRecord {
  const record: StepRecord = { step: step.name, status: 'completed', attempts: 1, durationMs: 0 };
  records.push(record);
  return record;
}

/**
 * Records that a step threw, and tells how that ends the run: cancelled when the error is how a
 * handler reports the run's cancellation (K10), failed with the run's timeout when its deadline has
 * passed (R2), failed otherwise (K3). Undefined when the run goes on: the step says `continueOnError`
 * and the error is its own (not the run's cancellation or deadline).
 */
export function failStep<C>(
  state: RunState<C>,
  step: CompiledStep<C>,
  record: StepRecord,
  err: unknown,
  startedAt: number,
): RunEnd | undefined {
  const at = now();
  record.durationMs = at - startedAt;
  record.status = 'failed';
  record.error = err;
  const deadlineError = state.deadline?.error;
  const ofDeadline = deadlineError !== undefined && err === deadlineError;
  const ofCancel = !ofDeadline && isAbortOf(err, state.signal);
  if (step.continueOnError && !ofDeadline && !ofCancel) {
    if (state.emitting) state.emit({ type: 'step.failed', step: step.name, error: err, continued: true });
    return undefined;
  }
  if (state.emitting) state.emit({ type: 'step.failed', step: step.name, error: err });
  if (ofDeadline) {
    return { at, outcome: 'completed', failed: true, error: err, failedStep: deadlineStep(state, step) };
  }
  if (ofCancel) return ended('cancelled', at);
  return { at, outcome: 'completed', failed: true, error: err, failedStep: step.name };
}

/** The run's deadline passed between steps: fail the run with its timeout, naming the next step. */
export function deadlinePassed<C>(state: RunState<C>, step: CompiledStep<C>, at: number): RunEnd | undefined {
  const err = state.deadline?.error;
  if (err === undefined) return undefined;
  return { at, outcome: 'completed', failed: true, error: err, failedStep: deadlineStep(state, step) };
}

/**
 * The step a run's timeout names: in the run that owns the deadline, the step that was running when
 * it passed (the earliest started); in a sub-run, which shares its parent's deadline, its own step.
 */
export function deadlineStep<C>(state: RunState<C>, step: CompiledStep<C>): string {
  return (state.parent === undefined ? state.deadline?.error?.step : undefined) ?? step.name;
}

/**
 * The record of a step whose skip predicate threw: the step counts as started (so its events read
 * `step.started` then `step.failed`), with no attempt made.
 */
export function predicateFailed<C>(state: RunState<C>, step: CompiledStep<C>): StepRecord {
  const record = newRecord(step, state.records);
  record.attempts = 0;
  if (state.emitting) state.emit({ type: 'step.started', step: step.name });
  return record;
}

/** What a step's skip predicate threw: the step fails with it (K5). */
export class SkipPredicateFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Why the step is skipped (K5): its skip condition holds, or it is an optional step without handlers
 * (validation lets a step without handlers through only when it is optional). Undefined when it runs.
 */
export function skipReasonOf<C>(step: CompiledStep<C>, ctx: C): string | SkipPredicateFailure | undefined {
  if (step.skip !== undefined) {
    try {
      if (step.skip.predicate(ctx)) return step.skip.reason;
    } catch (err) {
      return new SkipPredicateFailure(err);
    }
  }
  return step.hasHandlers ? undefined : OPTIONAL_WITHOUT_HANDLERS_REASON;
}

/** Records a skipped step: a record with the reason and a `step.skipped` event, nothing else. */
export function recordSkip<C>(state: RunState<C>, step: CompiledStep<C>, reason: string): StepRecord {
  const record: StepRecord = { step: step.name, status: 'skipped', reason, attempts: 0, durationMs: 0 };
  state.records.push(record);
  if (state.emitting) state.emit({ type: 'step.skipped', step: step.name, reason });
  return record;
}

/**
 * A durable run that resumes: the record `step` committed before, taken instead of running the step
 * (D2). `'replayed'` when the run goes on; how the run ended, when the record stopped or failed it;
 * undefined when the step has no record yet and must run.
 */
export function replayStep<C>(
  state: RunState<C>,
  journal: RunJournal,
  step: CompiledStep<C>,
  at: number,
): 'replayed' | RunEnd | undefined {
  const record = journal.replay(step.name);
  if (record === undefined) return undefined;
  state.records.push(record);
  if (record.status === 'stopped') return ended('stopped', at);
  if (record.status === 'failed' && !step.continueOnError) {
    return { at, outcome: 'completed', failed: true, error: record.error, failedStep: step.name };
  }
  return 'replayed';
}

/** A step that returned `Stop` (or whose sub-run stopped): its record says so, and the run ends (K2). */
export function stepStopped<C>(
  state: RunState<C>,
  step: CompiledStep<C>,
  record: { status: string },
  t: number,
): RunEnd {
  record.status = 'stopped';
  if (state.emitting) state.emit({ type: 'step.stopped', step: step.name });
  // A Stop while the run is being cancelled reports the cancellation (K10).
  return ended(state.signal?.aborted === true ? 'cancelled' : 'stopped', t);
}
