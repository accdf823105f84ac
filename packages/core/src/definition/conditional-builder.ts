import { OrkaConfigurationError, type ConfigurationProblemKind } from '../errors/configuration-error.js';
import { Continue } from './control.js';
import type { BranchDefinition, ConditionalDefinition } from './definition.js';
import type { NoMatchBehaviour, PipelineSource } from '../types/options.js';
import type { BranchId } from '../types/records.js';
import type { Condition, Handler } from '../types/handlers.js';

/**
 * Builds the branches of a conditional step (K6): `ifCondition(pred)` then `runSubPipeline(...)` or
 * `runHandler(...)`, as many times as needed, optionally `otherwise()` and `ifNoMatch(...)`, then
 * `finalize()`, which returns `P`: the pipeline the step belongs to. Conditions are tested in
 * registration order; the first true one wins.
 */
export class ConditionalStepBuilder<C, P = unknown> {
  private readonly definition: ConditionalDefinition<C> = {
    branches: [],
    noMatch: Continue,
    finalized: false,
  };

  /** @internal Created by `Pipeline.conditionalStep`. */
  constructor(
    private readonly pipeline: { readonly name: string },
    private readonly stepName: string,
    attach: (definition: ConditionalDefinition<C>) => void,
    private readonly onFinalize: () => P,
  ) {
    attach(this.definition);
  }

  /** Opens a branch taken when `condition` is true (sync or async); `label` names it in `describe()` and diagrams. */
  ifCondition(condition: Condition<C>, label?: string): BranchBuilder<C, P> {
    this.assertOpen('ifCondition');
    return new BranchBuilder(this, condition, this.definition.branches.length, label);
  }

  /** Opens the branch taken when no condition matched; its record says `branch: 'otherwise'`. */
  otherwise(label?: string): BranchBuilder<C, P> {
    this.assertOpen('otherwise');
    if (this.definition.otherwise) {
      this.fail(
        'duplicate-otherwise',
        `Conditional step "${this.stepName}" of pipeline "${this.pipeline.name}" already has an otherwise() branch.`,
      );
    }
    return new BranchBuilder(this, undefined, 'otherwise', label);
  }

  /**
   * What to do when no branch matches and there is no otherwise branch: `Continue` (default), `Stop`,
   * `'fail'` (rejects with `NoBranchMatchedError`), or a function returning the error to reject with.
   */
  ifNoMatch(behaviour: NoMatchBehaviour<C>): this {
    this.assertOpen('ifNoMatch');
    this.definition.noMatch = behaviour;
    return this;
  }

  /** Closes the conditional step and returns its pipeline. Until then, `validate()` reports the step. */
  finalize(): P {
    this.assertOpen('finalize');
    this.definition.finalized = true;
    return this.onFinalize();
  }

  /** @internal */
  addBranch(branch: BranchDefinition<C>): this {
    this.assertOpen('a branch');
    if (branch.id === 'otherwise') this.definition.otherwise = branch;
    else this.definition.branches.push(branch);
    return this;
  }

  private assertOpen(what: string): void {
    if (this.definition.finalized) {
      this.fail(
        'conditional-finalized',
        `Conditional step "${this.stepName}" of pipeline "${this.pipeline.name}" is already finalized: ` +
          `${what} must come before finalize().`,
      );
    }
  }

  private fail(kind: ConfigurationProblemKind, message: string): never {
    const subject = `Pipeline "${this.pipeline.name}"`;
    throw new OrkaConfigurationError([message], subject, [
      { kind, pipeline: this.pipeline.name, step: this.stepName, message },
    ]);
  }
}

/** One branch being declared: say what it runs. */
export class BranchBuilder<C, P = unknown> {
  /** @internal */
  constructor(
    private readonly parent: ConditionalStepBuilder<C, P>,
    private readonly condition: Condition<C> | undefined,
    private readonly id: BranchId,
    private readonly label: string | undefined,
  ) {}

  /**
   * Runs a sub-pipeline when the branch matches. `source` is a pipeline, or a factory called on each
   * matching run. `extractor` builds the sub-context from this run's context; `merge` writes the
   * sub-run's context back when it ends completed or stopped.
   */
  runSubPipeline<S>(
    source: PipelineSource<C, S>,
    extractor: (ctx: C) => NoInfer<S>,
    merge?: (ctx: C, sub: NoInfer<S>) => void,
  ): ConditionalStepBuilder<C, P>;
  /** Runs a sub-pipeline over this run's own context object (shared, so no merge is needed). */
  runSubPipeline(source: PipelineSource<C, C>): ConditionalStepBuilder<C, P>;
  runSubPipeline<S>(
    source: PipelineSource<C, S>,
    extractor?: (ctx: C) => S,
    merge?: (ctx: C, sub: S) => void,
  ): ConditionalStepBuilder<C, P> {
    return this.parent.addBranch({
      id: this.id,
      condition: this.condition,
      source: source as PipelineSource<C, unknown>,
      extractor,
      merge: merge as ((ctx: C, sub: unknown) => void) | undefined,
      label: this.label,
    });
  }

  /** Runs a plain handler when the branch matches. */
  runHandler(handler: Handler<C>): ConditionalStepBuilder<C, P> {
    return this.parent.addBranch({ id: this.id, condition: this.condition, handler, label: this.label });
  }
}
