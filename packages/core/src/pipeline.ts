import type { ConditionalStepBuilder } from './definition/conditional-builder.js';
import { openConditional } from './open-conditional.js';
import { compileDefinition } from './definition/compile.js';
import type { CompiledPipeline } from './definition/compiled.js';
import { definitionKey, newDefinition, type PipelineDefinition } from './definition/definition.js';
import { isBrandedPipeline, pipelineBrand } from './definition/pipeline-brand.js';
import { StepList } from './definition/step-list.js';
import { describePipeline, type PipelineDescription } from './description/describe.js';
import { toMermaid } from './description/mermaid.js';
import { planRun } from './description/plan.js';
import { startRange, startRun } from './execution/launch.js';
import type { FinishHandler, Handler, SkipPredicate } from './types/handlers.js';
import type { PipelineOptions, RunOptions, StepOptions } from './types/options.js';
import type { PlannedStep, RunResult } from './types/records.js';
import type { AwaitSignalOptions, SleepDuration } from './types/waits.js';

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
  private readonly steps: StepList<C>;
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
    this.definition = newDefinition(name, options);
    this.steps = new StepList(this.definition, steps);
  }

  /** Tells whether `value` is a pipeline, also one made by another copy of this package. */
  static isPipeline = (value: unknown): value is Pipeline<unknown> => isBrandedPipeline(value);

  /** The step names, in execution order. */
  stepNames(): string[] {
    return this.steps.names();
  }

  /** Adds a handler to the step's `before` phase (K1). */
  beforeStep(step: string, handler: Handler<C>): this {
    this.steps.get(step).before.push(handler);
    return this.changed();
  }

  /** Adds a handler to the step's `on` phase (K1). */
  onStep(step: string, handler: Handler<C>): this {
    this.steps.get(step).on.push(handler);
    return this.changed();
  }

  /** Adds a handler to the step's `after` phase (K1). */
  afterStep(step: string, handler: Handler<C>): this {
    this.steps.get(step).after.push(handler);
    return this.changed();
  }

  /** Lets the step be skipped when it has no handlers, instead of failing validation (K5). */
  optional(step: string): this {
    this.steps.get(step).optional = true;
    return this.changed();
  }

  /** Reverts {@link optional}: the step must have handlers. */
  required(step: string): this {
    this.steps.get(step).optional = false;
    return this.changed();
  }

  /**
   * Skips the step, running none of its phases, when `predicate` returns true just before it (K5).
   * The step's record gives `label` as the reason. A second call replaces the first.
   */
  skipIf(step: string, predicate: SkipPredicate<C>, label?: string): this {
    this.steps.get(step).skip = { predicate, label };
    return this.changed();
  }

  /** Removes a skip condition set with {@link skipIf}. */
  clearSkipIf(step: string): this {
    delete this.steps.get(step).skip;
    return this.changed();
  }

  /** Inserts a new, required step before `anchor`. */
  insertBefore(anchor: string, step: string): this {
    this.steps.insert(anchor, step, 0);
    return this.changed();
  }

  /** Inserts a new, required step after `anchor`. */
  insertAfter(anchor: string, step: string): this {
    this.steps.insert(anchor, step, 1);
    return this.changed();
  }

  /** Removes a step and everything registered on it. */
  removeStep(step: string): this {
    this.steps.remove(step);
    return this.changed();
  }

  /**
   * Makes the step conditional (K6): its branches are tested in order and the first that matches
   * runs. The branch dispatch joins the step's `on` phase after the handlers registered before
   * `finalize()`, which returns this pipeline.
   */
  conditionalStep(step: string): ConditionalStepBuilder<C, this> {
    const def = this.steps.get(step);
    const builder = openConditional(this, def, () => this.changed());
    this.changed();
    return builder;
  }

  /**
   * Makes `step` wait for the signal `signal` before its handlers run (W1): a durable run suspends
   * there, holding nothing, until `durable.signal(runId, signal, payload)`; `merge` writes the payload
   * into the context. At `timeoutMs` the wait fails with `SignalTimeoutError`, or goes on with
   * `onTimeout: 'continue'` (W4). Only a `DurableRunner` runs such a pipeline (W5).
   */
  awaitSignal<P = unknown>(step: string, signal: string, options: AwaitSignalOptions<C, P> = {}): this {
    this.steps.get(step).wait = { kind: 'signal', signal, ...(options as AwaitSignalOptions<C>) };
    return this.changed();
  }

  /** Makes `step` wait for a time before its handlers run (W3): `ms`, a `Date`, or either from the context. */
  sleep(step: string, duration: SleepDuration<C>): this {
    this.steps.get(step).wait = { kind: 'sleep', duration };
    return this.changed();
  }

  /**
   * Sets a step's policies: `retry` (R1), `timeoutMs` (R2), `after` (R4), `continueOnError` (R6).
   * Given keys replace earlier ones; names in `after` are checked by {@link validate}.
   */
  stepOptions(step: string, options: StepOptions): this {
    const def = this.steps.get(step);
    def.options = { ...def.options, ...options };
    if (options.after) def.options.after = [...options.after];
    return this.changed();
  }

  /** Declares how to undo a step that completed, when a later step fails the run (R3). */
  compensate(step: string, handler: Handler<C>): this {
    this.steps.get(step).compensate = handler;
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
    try {
      return startRun(this.compile(), ctx, options);
    } catch (err) {
      return Promise.reject(err);
    }
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
      return startRange(this.compile(), from, until, ctx, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private changed(): this {
    this.compiled = undefined;
    return this;
  }
}
