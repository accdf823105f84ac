import type { CompiledStep } from '../../definition/compiled.js';
import { SignalTimeoutError } from '../../errors/durable-errors.js';
import { waitsNeedDurable } from '../../errors/waits-need-durable.js';
import type { SleepDuration } from '../../types/waits.js';
import type { RunState } from '../run-state.js';
import { StepRunImpl } from '../step/step-run.js';

/**
 * The wait of a step, before its handlers (W1-W4): passes when the signal is there (its payload merged
 * into the context, the signal consumed with the step's commit), when the sleep's time has come, or
 * when the wait timed out with `onTimeout: 'continue'`; fails the step with `SignalTimeoutError` when it
 * timed out otherwise; else suspends the run: commits the wait, then announces it (`run.suspended`, so
 * that whoever hears of it reads the run as waiting), then throws `RunHalt`. The time a wait started is
 * committed when it first suspends, so that its timeout or its end stays where it was across resumes.
 */
export async function passWait<C>(state: RunState<C>, step: CompiledStep<C>): Promise<void> {
  const wait = step.wait!;
  const journal = state.journal;
  if (journal === undefined) throw waitsNeedDurable(state.compiled.name, step.name);
  const now = Date.now();
  const committedUntil = journal.waitUntil(step.name);
  if (wait.kind === 'sleep') {
    const until = committedUntil ?? sleepEnd(wait.duration, state.context, now);
    if (until <= now) return;
    const halt = await journal.suspend(step.name, { until });
    if (state.emitting)
      state.emit({ type: 'run.suspended', step: step.name, wait: { step: step.name, until } });
    throw halt;
  }
  const signal = journal.takeSignal(step.name, wait.signal);
  if (signal !== undefined) {
    if (wait.merge !== undefined)
      await wait.merge(state.context, signal.payload, new StepRunImpl(state, step.name, 1));
    return;
  }
  const timeoutAt = committedUntil ?? (wait.timeoutMs === undefined ? undefined : now + wait.timeoutMs);
  if (timeoutAt !== undefined && timeoutAt <= now) {
    if (wait.onTimeout === 'continue') return;
    throw new SignalTimeoutError(state.compiled.name, step.name, wait.signal, wait.timeoutMs ?? 0);
  }
  const halt = await journal.suspend(step.name, { signal: wait.signal, until: timeoutAt });
  if (state.emitting) {
    const described = {
      step: step.name,
      signal: wait.signal,
      ...(timeoutAt !== undefined && { until: timeoutAt }),
    };
    state.emit({ type: 'run.suspended', step: step.name, wait: described });
  }
  throw halt;
}

/** When a sleep that starts `now` ends, in epoch ms. */
function sleepEnd<C>(duration: SleepDuration<C>, ctx: C, now: number): number {
  const value = typeof duration === 'function' ? duration(ctx) : duration;
  return value instanceof Date ? value.getTime() : now + value;
}
