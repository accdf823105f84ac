import type { CompiledStep } from '../definition/compiled.js';
import { OPTIONAL_WITHOUT_HANDLERS_REASON } from '../definition/definition.js';
import type { RunState } from './run-state.js';

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
export function recordSkip<C>(state: RunState<C>, step: CompiledStep<C>, reason: string): void {
  state.records.push({ step: step.name, status: 'skipped', reason, attempts: 0, durationMs: 0 });
  if (state.emitting) state.emit({ type: 'step.skipped', step: step.name, reason });
}
