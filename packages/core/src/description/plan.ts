import {
  hasHandlers,
  OPTIONAL_WITHOUT_HANDLERS_REASON,
  SKIP_CONDITION_REASON,
  type PipelineDefinition,
} from '../definition/definition.js';
import type { PlannedStep } from '../types/records.js';

/**
 * A dry run (K11): what `run` would do with each step, given `ctx` as it is now. Nothing executes
 * but the skip predicates, and the definition is reported on as it stands, valid or not.
 */
export function planRun<C>(
  def: PipelineDefinition<C>,
  ctx: C,
  signal: AbortSignal | undefined,
): PlannedStep[] {
  return def.steps.map((step): PlannedStep => {
    if (signal?.aborted) return { step: step.name, action: 'cancelled', reason: 'the signal is aborted' };
    if (step.skip && step.skip.predicate(ctx)) {
      return { step: step.name, action: 'skip', reason: step.skip.label ?? SKIP_CONDITION_REASON };
    }
    if (!hasHandlers(step as never)) {
      return step.optional
        ? { step: step.name, action: 'skip', reason: OPTIONAL_WITHOUT_HANDLERS_REASON }
        : { step: step.name, action: 'fail', reason: 'required step without handlers' };
    }
    // A wait or a sleep, which the run would suspend at before the step's handlers (W1, W3).
    if (step.wait?.kind === 'signal')
      return { step: step.name, action: 'wait', reason: `signal "${step.wait.signal}"` };
    if (step.wait?.kind === 'sleep') return { step: step.name, action: 'sleep' };
    return { step: step.name, action: 'run' };
  });
}
