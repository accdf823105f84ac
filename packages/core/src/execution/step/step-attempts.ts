import type { CompiledStep } from '../../definition/compiled.js';
import { Stop } from '../../definition/control.js';
import { linkAbort } from '../policies/deadline.js';
import { StepTimeoutError } from '../../errors/timeout-errors.js';
import { isRetryable, retryDelay, sleep } from '../policies/retry.js';
import { RunHalt } from '../run-halt.js';
import type { RunState } from '../run-state.js';
import { StepRunImpl } from './step-run.js';
import type { HandlerResult } from '../../types/handlers.js';
import type { StepRecord } from '../../types/records.js';

/**
 * Runs one step with its policies (R1, R2) and, when the run has a deadline, against it: each
 * attempt runs the whole handler chain; an attempt with a time budget gets its own signal, aborted
 * at the budget with a {@link StepTimeoutError}; a failed attempt is tried again while the retry
 * policy allows. Resolves to whether the step stopped the run; rejects with the last error.
 *
 * `outer` is what aborts the step from outside: the run's signal, or, for steps running beside
 * others, a signal of the step's own that a failing sibling aborts.
 */
export async function runStepAttempts<C>(
  state: RunState<C>,
  step: CompiledStep<C>,
  record: StepRecord,
  outer: AbortSignal | undefined,
): Promise<boolean> {
  const retry = step.retry;
  const attempts = retry?.attempts ?? 1;
  const deadline = state.deadline;
  const journal = state.journal;
  // A durable step that resumes does not get its failed attempts back (D6).
  const first = journal === undefined ? 1 : journal.failedAttempts(step.name) + 1;
  for (let attempt = first; ; attempt++) {
    record.attempts = attempt;
    const budget = step.timeoutMs;
    const controller = budget !== undefined ? new AbortController() : undefined;
    const unlink = controller ? linkAbort(outer, controller) : undefined;
    const run = new StepRunImpl(state, step.name, attempt, controller?.signal ?? outer);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      let settled = runChain(step, state.context, run);
      if (controller) {
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new StepTimeoutError(state.pipeline, step.name, budget!);
            controller.abort(err);
            reject(err);
          }, budget);
        });
        // The handler's late result, or late error, is ignored (R2).
        settled.catch(() => undefined);
        settled = Promise.race([settled, timedOut]);
      }
      if (deadline) {
        settled.catch(() => undefined);
        settled = Promise.race([settled, deadline.expired]);
      }
      const stopped = await settled;
      if (run.branch !== undefined) record.branch = run.branch;
      return stopped;
    } catch (err) {
      if (run.branch !== undefined) record.branch = run.branch;
      if (err instanceof RunHalt) throw err;
      if (deadline?.error) throw deadline.error;
      if (attempt >= attempts || !isRetryable(retry!, err) || outer?.aborted) throw err;
      const delayMs = retryDelay(retry!, attempt);
      if (journal !== undefined) await journal.commitFailedAttempt(step.name, attempt);
      if (state.emitting) state.emit({ type: 'step.retry', step: step.name, attempt, delayMs, error: err });
      try {
        await sleep(delayMs, outer);
      } catch (abortReason) {
        throw deadline?.error ?? abortReason;
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      unlink?.();
    }
  }
}

/** Runs the handlers of every phase in order; resolves to whether one of them stopped the run. */
export async function runChain<C>(step: CompiledStep<C>, ctx: C, run: StepRunImpl<C>): Promise<boolean> {
  const chain = step.chain;
  for (let h = 0; h < chain.length; h++) {
    let r: HandlerResult | PromiseLike<HandlerResult> = chain[h]!(ctx, run);
    if (typeof r === 'object' && r !== null && typeof (r as PromiseLike<HandlerResult>).then === 'function') {
      r = await r;
    }
    // A branch's sub-run, whose result settles the step here (K6).
    if (run.pendingBranch !== undefined) r = run.settleBranch(r as never);
    if (r === Stop || run.subStopped) return true;
  }
  return false;
}
