import { CompensationError } from '../../errors/compensation-error.js';
import type { RunEnd } from '../step/step-records.js';
import { RunHalt } from '../run-halt.js';
import type { RunState } from '../run-state.js';
import { StepRunImpl } from '../step/step-run.js';

/**
 * Undoes a failed run (R3): the compensations of the steps that completed run one at a time, in
 * reverse order. A step whose compensation succeeded becomes `compensated`; one whose compensation
 * threw keeps `completed` and gets `compensationError`, and the others still run. When any threw,
 * the run rejects with a {@link CompensationError} holding the original error and theirs.
 */
export async function compensate<C>(state: RunState<C>, end: RunEnd): Promise<void> {
  const { compiled, records, context } = state;
  const errors: unknown[] = [];
  const failedSteps: string[] = [];
  // Compensations get a signal of their own: the run's may already be aborted (a deadline, a
  // cancellation), and undoing must still be able to do I/O.
  const signal = new AbortController().signal;
  const journal = state.journal;
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    if (record.status !== 'completed') continue;
    const step = compiled.steps[compiled.positions.get(record.step)!]!;
    if (step.compensate === undefined) continue;
    // A durable run that resumes its compensation does not run one that ran before (D6).
    if (record.compensationError !== undefined) {
      errors.push(record.compensationError);
      failedSteps.push(step.name);
      continue;
    }
    if (state.emitting) state.emit({ type: 'compensation.started', step: step.name });
    try {
      await step.compensate(context, new StepRunImpl(state, step.name, 1, signal));
      record.status = 'compensated';
      if (state.emitting) state.emit({ type: 'compensation.completed', step: step.name });
    } catch (err) {
      if (err instanceof RunHalt) throw err;
      record.compensationError = err;
      errors.push(err);
      failedSteps.push(step.name);
      if (state.emitting) state.emit({ type: 'compensation.failed', step: step.name, error: err });
    }
    if (journal !== undefined) await journal.commit(step.name, record, context);
  }
  if (errors.length === 0) return;
  const original: unknown = end.failed ? end.error : state.signal?.reason;
  end.failedStep ??= lastStarted(state);
  end.failed = true;
  end.error = new CompensationError(compiled.name, original, errors, failedSteps);
}

function lastStarted<C>(state: RunState<C>): string | undefined {
  for (let i = state.records.length - 1; i >= 0; i--) {
    if (state.records[i]!.status !== 'skipped') return state.records[i]!.step;
  }
  return undefined;
}
