import { ConditionalStepBuilder } from './definition/conditional-builder.js';
import type { ConditionalDefinition, StepDefinition } from './definition/definition.js';
import { OrkaConfigurationError } from './errors/configuration-error.js';
import { makeDispatch } from './execution/composition/conditional-dispatch.js';

/**
 * The builder of `pipeline.conditionalStep(step)` (K6): the branch dispatch joins the step's `on`
 * phase after the handlers registered before `finalize()`, which returns the pipeline. A step is made
 * conditional once.
 */
export function openConditional<C, P extends { readonly name: string }>(
  pipeline: P,
  def: StepDefinition<C>,
  changed: () => P,
): ConditionalStepBuilder<C, P> {
  const step = def.name;
  if (def.conditional) {
    const message = `Step "${step}" of pipeline "${pipeline.name}" is already conditional: declare all its branches in one conditionalStep() chain.`;
    throw new OrkaConfigurationError([message], `Pipeline "${pipeline.name}"`, [
      { kind: 'step-already-conditional', pipeline: pipeline.name, step, message },
    ]);
  }
  const attach = (conditional: ConditionalDefinition<C>) => void (def.conditional = conditional);
  return new ConditionalStepBuilder<C, P>(pipeline, step, attach, () => {
    def.on.push(makeDispatch(pipeline.name, step, def.conditional!));
    return changed();
  });
}
