import { ConditionalStepBuilder } from './conditional-builder.js';
import { makeDispatch } from './conditional-dispatch.js';
import { compileDefinition, type CompiledPipeline } from './compile.js';
import { isBrandedPipeline, pipelineBrand } from './pipeline-brand.js';
import {
  definitionKey,
  newStep,
  type PipelineDefinition,
  type StepDefinition,
  type StepOptions,
} from './definition.js';
import { describePipeline, type PipelineDescription } from './describe.js';
import { OrkaConfigurationError } from './errors/configuration-error.js';
import { StepNotFoundError } from './errors/step-not-found-error.js';
import { startRun } from './execution.js';
import { toMermaid } from './mermaid.js';
import { planRun } from './plan.js';
import type {
  ContextPreparer,
  FinishHandler,
  Handler,
  PlannedStep,
  RunOptions,
  RunResult,
  SkipPredicate,
} from './types.js';

/** Options of a pipeline. */
export interface PipelineOptions<C = unknown> {
  /** The default time budget of every step, in milliseconds (R2); a step's own `timeoutMs` wins. */
  timeoutMs?: number;
  /** Also compensate the completed steps when a run is cancelled, not only when it fails (R3). */
  compensateOnCancel?: boolean;
  /**
   * Turns every run's input into its context before any step, sub-runs and fan-out items included
   * (for example: validation). What it throws rejects the run before it starts.
   */
  prepare?: ContextPreparer<C>;
}

/**
 * A named sequence of steps over one context object of type `C`, shared by every step of a run.
 * Build it once (at startup), then run it as often as needed: each run has its own context.
 *
 * ```ts
 * const p = new Pipeline<Ctx>('checkout', ['price', 'charge']);
 * p.onStep('price', (ctx) => { ctx.total = 42; });
 * const { outcome, context } = await p.run({ total: 0 });
 * ```
 */
export class Pipeline<C> {
  /** @internal Marks instances across copies of this package (ESM and CommonJS builds). */
  readonly [pipelineBrand] = true;

  private readonly definition: PipelineDefinition<C>;
  private readonly index = new Map<string, StepDefinition<C>>();
  private compiled?: CompiledPipeline<C>;

  /**
   * @param name The pipeline's name, used in records, events and error messages.
   * @param steps The step names, in execution order; each must be unique.
   */
  constructor(
    readonly name: string,
    steps: readonly string[],
    options: PipelineOptions<C> = {},
  ) {
    this.definition = {
      name,
      steps: [],
      finishers: [],
      defaultTimeoutMs: options.timeoutMs,
      compensateOnCancel: options.compensateOnCancel,
      prepare: options.prepare,
    };
    const duplicates = steps.filter((s, i) => steps.indexOf(s) !== i);
    if (duplicates.length > 0) {
      throw new OrkaConfigurationError(
        [`Pipeline "${name}" declares step "${duplicates[0]}" more than once: step names must be unique.`],
        `Pipeline "${name}"`,
      );
    }
    for (const s of steps) this.addStepAt(this.definition.steps.length, s);
  }

  /** Tells whether `value` is a pipeline, also one made by another copy of this package. */
  static isPipeline(value: unknown): value is Pipeline<unknown> {
    return isBrandedPipeline(value);
  }

  /** The step names, in execution order. */
  stepNames(): string[] {
    return this.definition.steps.map((s) => s.name);
  }

  /** Adds a handler to the step's `before` phase (K1). */
  beforeStep(step: string, handler: Handler<C>): this {
    this.step(step).before.push(handler);
    return this.changed();
  }

  /** Adds a handler to the step's `on` phase (K1). */
  onStep(step: string, handler: Handler<C>): this {
    this.step(step).on.push(handler);
    return this.changed();
  }

  /** Adds a handler to the step's `after` phase (K1). */
  afterStep(step: string, handler: Handler<C>): this {
    this.step(step).after.push(handler);
    return this.changed();
  }

  /** Lets the step be skipped when it has no handlers, instead of failing validation (K5). */
  optional(step: string): this {
    this.step(step).optional = true;
    return this.changed();
  }

  /** Reverts {@link optional}: the step must have handlers. */
  required(step: string): this {
    this.step(step).optional = false;
    return this.changed();
  }

  /**
   * Skips the step, running none of its phases, when `predicate` returns true just before it (K5).
   * The step's record gives `label` as the reason. A second call replaces the first.
   */
  skipIf(step: string, predicate: SkipPredicate<C>, label?: string): this {
    this.step(step).skip = { predicate, label };
    return this.changed();
  }

  /** Removes a skip condition set with {@link skipIf}. */
  clearSkipIf(step: string): this {
    delete this.step(step).skip;
    return this.changed();
  }

  /** Inserts a new, required step before `anchor`. */
  insertBefore(anchor: string, step: string): this {
    this.insert(anchor, step, 0);
    return this.changed();
  }

  /** Inserts a new, required step after `anchor`. */
  insertAfter(anchor: string, step: string): this {
    this.insert(anchor, step, 1);
    return this.changed();
  }

  /** Removes a step and everything registered on it. */
  removeStep(step: string): this {
    const def = this.step(step);
    this.definition.steps.splice(this.definition.steps.indexOf(def), 1);
    this.index.delete(step);
    return this.changed();
  }

  /**
   * Makes the step conditional (K6): its branches are tested in order and the first that matches
   * runs. The branch dispatch joins the step's `on` phase after the handlers registered before
   * `finalize()`.
   */
  conditionalStep(step: string): ConditionalStepBuilder<C> {
    const def = this.step(step);
    if (def.conditional) {
      throw new OrkaConfigurationError(
        [
          `Step "${step}" of pipeline "${this.name}" is already conditional: declare all its branches in one conditionalStep() chain.`,
        ],
        `Pipeline "${this.name}"`,
      );
    }
    this.changed();
    return new ConditionalStepBuilder<C>(
      this,
      step,
      (conditional) => {
        def.conditional = conditional;
      },
      () => {
        def.on.push(makeDispatch(this.name, step, def.conditional!));
        this.changed();
      },
    );
  }

  /**
   * Sets a step's policies: `retry` (R1), `timeoutMs` (R2), `after` (R4). Given keys replace earlier
   * ones; names in `after` are checked by {@link validate}.
   */
  stepOptions(step: string, options: StepOptions): this {
    const def = this.step(step);
    def.options = { ...def.options, ...options };
    if (options.after) def.options.after = [...options.after];
    return this.changed();
  }

  /** Declares how to undo a step that completed, when a later step fails the run (R3). */
  compensate(step: string, handler: Handler<C>): this {
    this.step(step).compensate = handler;
    return this.changed();
  }

  /** Adds a handler that runs on every exit of a full run, with its outcome (K8). */
  onFinish(handler: FinishHandler<C>): this {
    this.definition.finishers.push(handler);
    return this.changed();
  }

  /**
   * Checks the whole definition and throws one `OrkaConfigurationError` listing every problem (K4).
   * Returns nothing when the pipeline is runnable.
   */
  validate(): void {
    this.compile();
  }

  /** Runs every step over `ctx` and resolves to the run's result; a step's error rejects unchanged (K3). */
  run(ctx: C, options?: RunOptions): Promise<RunResult<C>> {
    let compiled: CompiledPipeline<C>;
    try {
      compiled = this.compile();
    } catch (err) {
      return Promise.reject(err);
    }
    return startRun(compiled, ctx, options, 0, compiled.steps.length, true);
  }

  /** Runs the one step `step`, without finishers or resource release (K12). */
  runStep(step: string, ctx: C, options?: RunOptions): Promise<RunResult<C>> {
    return this.runRange(step, step, ctx, options);
  }

  /** Runs from `step` (inclusive) to the end, without finishers or resource release (K12). */
  runFrom(step: string, ctx: C, options?: RunOptions): Promise<RunResult<C>> {
    return this.runRange(step, undefined, ctx, options);
  }

  /** Runs from the first step to `step` (inclusive), without finishers or resource release (K12). */
  runUntil(step: string, ctx: C, options?: RunOptions): Promise<RunResult<C>> {
    return this.runRange(undefined, step, ctx, options);
  }

  /** A dry run: what `run` would do with each step for this context; nothing executes (K11). */
  plan(ctx: C, options: { signal?: AbortSignal } = {}): PlannedStep[] {
    return planRun(this.definition, ctx, options.signal);
  }

  /** The definition as a JSON-serialisable plain object (R5). */
  describe(): PipelineDescription {
    return describePipeline(this.definition);
  }

  /** The definition as a Mermaid flowchart (R5). */
  toMermaid(): string {
    return toMermaid(this.describe());
  }

  /** @internal The definition, for validation of the pipelines that run this one as a sub-pipeline. */
  get [definitionKey](): PipelineDefinition<C> {
    return this.definition;
  }

  /** @internal The compiled, validated form that runs use; rebuilt after any change. */
  compile(): CompiledPipeline<C> {
    return (this.compiled ??= compileDefinition(this.definition));
  }

  private runRange(
    from: string | undefined,
    until: string | undefined,
    ctx: C,
    options: RunOptions | undefined,
  ): Promise<RunResult<C>> {
    try {
      const compiled = this.compile();
      const start = from === undefined ? 0 : this.position(compiled, from);
      const end = until === undefined ? compiled.steps.length : this.position(compiled, until) + 1;
      return startRun(compiled, ctx, options, start, Math.max(start, end), false);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private position(compiled: CompiledPipeline<C>, step: string): number {
    const i = compiled.positions.get(step);
    if (i === undefined) throw new StepNotFoundError(this.name, step, this.stepNames());
    return i;
  }

  private step(name: string): StepDefinition<C> {
    const def = this.index.get(name);
    if (!def) throw new StepNotFoundError(this.name, name, this.stepNames());
    return def;
  }

  private insert(anchor: string, name: string, offset: 0 | 1): void {
    const at = this.definition.steps.indexOf(this.step(anchor)) + offset;
    if (this.index.has(name)) {
      throw new OrkaConfigurationError(
        [`Pipeline "${this.name}" already has a step "${name}": step names must be unique.`],
        `Pipeline "${this.name}"`,
      );
    }
    this.addStepAt(at, name);
  }

  private addStepAt(at: number, name: string): void {
    const def = newStep<C>(name);
    this.definition.steps.splice(at, 0, def);
    this.index.set(name, def);
  }

  private changed(): this {
    this.compiled = undefined;
    return this;
  }
}
