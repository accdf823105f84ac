import type { ForwardReference, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import {
  Continue,
  OrkaConfigurationError,
  Pipeline as KernelPipeline,
  Stop,
  type Condition,
  type ContextPreparer,
  type ConditionalStepBuilder,
  type FinishHandler,
  type Handler,
  type HandlerResult,
  type PipelineSource,
  type RunOutcome,
  type StepRun,
} from '@orka/core';
import { orkaStorage } from './context/orka-context.storage.js';
import type { PipelineHost, StepOverride } from './interfaces/pipeline-host.interface.js';
import type { SubPipelineSource } from './interfaces/sub-pipeline.interface.js';
import { OrkaMetadataAccessor, type DecoratedMethod } from './orka-metadata.accessor.js';
import { planSteps, type StepPlan } from './step-plan.js';
import * as messages from './orka.messages.js';
import { contextPreparer, type ContextValidationSettings } from './validation/context-validator.js';

/** A pipeline class compiled into a kernel pipeline. */
export interface CompiledHost {
  host: PipelineHost;
  kernel: KernelPipeline<object>;
  /** Turns an input into the run's context (validation), when the pipeline declares a context class. */
  prepare: ContextPreparer<object> | undefined;
}

/** What the compiler needs from the module around it. */
export interface CompilerSettings {
  moduleRef: ModuleRef;
  validation: ContextValidationSettings;
  /** Run context tracking (OrkaContext): when on, every handler call enters the run's store. */
  tracking: boolean;
  overrides: StepOverride[];
}

/** Calls a method with the context and the step's StepRun (or, for a finisher, the run's outcome). */
type Invoke = (method: string, ctx: unknown, second: StepRun | RunOutcome) => unknown;
type Method = (ctx: unknown, second: StepRun | RunOutcome) => unknown;

interface LooseBranch {
  runSubPipeline(
    source: PipelineSource<object, object>,
    extractor?: (ctx: never) => unknown,
    merge?: (ctx: never, sub: never) => void,
  ): ConditionalStepBuilder<object>;
}

/**
 * Compiles `@Pipeline` classes into kernel pipelines (N1, N2, N8). All kernel logic stays in the
 * kernel: this reads decorators, reports definition problems as `Class.method: ...`, and adapts
 * handlers to DI (singleton or request-scoped instances) and to run context tracking.
 */
export class PipelineCompiler {
  private readonly accessor = new OrkaMetadataAccessor();

  constructor(private readonly settings: CompilerSettings) {}

  /** Compiles every host; throws one `OrkaConfigurationError` naming every problem of every pipeline. */
  compileAll(hosts: PipelineHost[]): Map<unknown, CompiledHost> {
    const problems: string[] = [];
    const byName = new Map<string, PipelineHost[]>();
    for (const host of hosts) byName.set(host.name, [...(byName.get(host.name) ?? []), host]);
    for (const [name, same] of byName) {
      if (same.length > 1)
        problems.push(
          messages.DUPLICATE_PIPELINE_NAME(
            name,
            same.map((h) => h.cls.name),
          ),
        );
    }

    // Phase 1: every pipeline with its steps, so that sub-pipeline references can point at any of them.
    const compiled = new Map<unknown, CompiledHost>();
    const plans = new Map<CompiledHost, { methods: DecoratedMethod[]; steps: StepPlan[]; clean: boolean }>();
    for (const host of hosts) {
      const methods = this.accessor.methods(host.cls);
      const { steps, problems: own } = planSteps(host, methods);
      problems.push(...own);
      const prepare = host.options.context
        ? (contextPreparer(
            host.name,
            host.options.context,
            this.settings.validation,
          ) as ContextPreparer<object>)
        : undefined;
      const kernel = new KernelPipeline<object>(
        host.name,
        steps.map((s) => s.name),
        { timeoutMs: host.options.timeoutMs, compensateOnCancel: host.options.compensateOnCancel, prepare },
      );
      const entry = { host, kernel, prepare };
      compiled.set(host.token, entry);
      plans.set(entry, { methods, steps, clean: own.length === 0 });
    }

    for (const o of this.settings.overrides) {
      const target = [...plans].find(([e]) => o.pipeline === e.host.token || o.pipeline === e.host.name);
      const label = typeof o.pipeline === 'function' ? o.pipeline.name : String(o.pipeline);
      if (!target) problems.push(messages.OVERRIDE_UNKNOWN_PIPELINE(label));
      else if (!target[1].steps.some((s) => s.name === o.step)) {
        problems.push(
          messages.OVERRIDE_UNKNOWN_STEP(
            label,
            o.step,
            target[1].steps.map((s) => s.name),
          ),
        );
      }
    }

    // Phase 2: handlers, branches, policies; then the kernel's own validation of each pipeline.
    const filled: [CompiledHost, StepPlan[]][] = [];
    for (const [entry, { methods, steps, clean }] of plans) {
      const before = problems.length;
      this.fill(entry, methods, steps, compiled, problems);
      // A class whose decorators already have problems is not validated again: each problem once.
      if (clean && problems.length === before) filled.push([entry, steps]);
    }
    // Validated once all are filled: a pipeline's validation looks into its static sub-pipelines.
    for (const [entry, steps] of filled) {
      try {
        entry.kernel.validate();
      } catch (err) {
        if (!(err instanceof OrkaConfigurationError)) throw err;
        for (const d of err.details) {
          // A sub-pipeline's own problems are reported by its own validation, under its own class.
          if (d.message.startsWith('Sub-pipeline "')) continue;
          const plan = steps.find((s) => s.name === d.step);
          const method = plan ? (plan.options[0]?.method ?? plan.firstMethod) : undefined;
          problems.push(messages.DEFINITION_PROBLEM(entry.host.cls.name, method, d.message));
        }
      }
    }
    if (problems.length > 0) {
      throw new OrkaConfigurationError(problems, messages.PIPELINES_SUBJECT);
    }
    return compiled;
  }

  /** Registers the handlers, branches, policies, compensations and finishers of one pipeline. */
  private fill(
    entry: CompiledHost,
    methods: DecoratedMethod[],
    steps: StepPlan[],
    compiled: Map<unknown, CompiledHost>,
    problems: string[],
  ): void {
    const { host, kernel } = entry;
    const invoke = this.invoker(host);
    const handler =
      (method: string): Handler<object> =>
      (ctx, run) =>
        invoke(method, ctx, run) as HandlerResult;

    for (const plan of steps) {
      const override = this.settings.overrides.find(
        (o) => (o.pipeline === host.token || o.pipeline === host.name) && o.step === plan.name,
      );
      for (const m of plan.before) kernel.beforeStep(plan.name, handler(m));
      if (override) {
        kernel.onStep(plan.name, override.handler as Handler<object>);
      } else {
        for (const m of plan.handlers) kernel.onStep(plan.name, handler(m));
        if (plan.branches.length > 0 || plan.otherwise.length > 0) {
          const builder = kernel.conditionalStep(plan.name);
          const branch = (method: string, open: () => ReturnType<typeof builder.otherwise>) => {
            const sub = plan.subPipelines.get(method);
            if (!sub) return open().runHandler(handler(method));
            const source = this.subPipelineSource(host, method, sub.source, compiled, problems);
            // Without `extract` the sub-run gets the parent's context object itself (section 4), as a
            // kernel branch without an extractor does; the builder's overloads only type the common cases.
            return (open() as unknown as LooseBranch).runSubPipeline(source, sub.extract, sub.merge);
          };
          for (const b of plan.branches) branch(b.method, () => builder.ifCondition(allOf(b.when), b.method));
          const fallback = plan.otherwise[0];
          if (fallback) branch(fallback, () => builder.otherwise(fallback));
          const noMatch = plan.options[0]?.options.onNoMatch;
          builder.ifNoMatch(noMatch === 'stop' ? Stop : noMatch === 'fail' ? 'fail' : Continue).finalize();
        }
      }
      for (const m of plan.after) kernel.afterStep(plan.name, handler(m));
      const options = plan.options[0]?.options;
      if (options) {
        kernel.stepOptions(plan.name, {
          ...(options.retry && { retry: options.retry }),
          ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
          ...(options.after && { after: options.after }),
          ...(options.continueOnError !== undefined && { continueOnError: options.continueOnError }),
        });
      }
      const skip = plan.skips[0];
      if (skip) kernel.skipIf(plan.name, skip.skip.predicate as (ctx: object) => boolean, skip.skip.label);
      const compensation = plan.compensations[0];
      if (compensation) kernel.compensate(plan.name, handler(compensation));
    }
    for (const { name, metadata } of methods) {
      if (metadata.onFinish) {
        const finisher: FinishHandler<object> = (ctx: object, outcome: RunOutcome) =>
          invoke(name, ctx, outcome) as void;
        kernel.onFinish(finisher);
      }
    }
  }

  /** Turns a `@SubPipeline` source into a kernel pipeline source. */
  private subPipelineSource(
    host: PipelineHost,
    method: string,
    source: SubPipelineSource,
    compiled: Map<unknown, CompiledHost>,
    problems: string[],
  ): PipelineSource<object, object> {
    const cls = host.cls.name;
    const lookup = (target: unknown): KernelPipeline<object> | undefined => compiled.get(target)?.kernel;
    if ('forwardRef' in source && typeof source.forwardRef === 'function') {
      const target = (source as ForwardReference<() => Type<object>>).forwardRef();
      const found = lookup(target);
      if (!found) problems.push(messages.NOT_A_PIPELINE_CLASS(cls, method, describe(target)));
      return found ?? placeholder(host.name);
    }
    if (isClass(source)) {
      const found = lookup(source);
      if (!found) problems.push(messages.NOT_A_PIPELINE_CLASS(cls, method, describe(source)));
      return found ?? placeholder(host.name);
    }
    const factory = source as (ctx: object, moduleRef: ModuleRef) => Type<object> | Promise<Type<object>>;
    const moduleRef = this.settings.moduleRef;
    return async (ctx: object) => {
      const target = await factory(ctx, moduleRef);
      const found = lookup(target);
      if (!found) throw new TypeError(messages.SUB_FACTORY_NOT_A_PIPELINE(cls, method, describe(target)));
      return found;
    };
  }

  /**
   * Calls a method of the pipeline's instance: the singleton, or for a request-scoped pipeline the
   * instance resolved for the run's DI context. The method is looked up on every call, so spies set
   * after bootstrap see the calls. With context tracking on, the call runs inside the run's store so
   * that `OrkaContext` knows the context and the step.
   */
  private invoker(host: PipelineHost): Invoke {
    const { moduleRef, tracking } = this.settings;
    const call: Invoke = host.requestScoped
      ? async (method, ctx, second) => {
          const contextId = orkaStorage.getStore()?.contextId;
          const instance = (await moduleRef.resolve(host.token as Type<object>, contextId, {
            strict: false,
          })) as Record<string, Method>;
          return instance[method]!(ctx, second);
        }
      : (method, ctx, second) => (host.instance as Record<string, Method>)[method]!(ctx, second);
    if (!tracking) return call;
    return (method, ctx, second) => {
      // A step gets its StepRun; a finisher its outcome, from which OrkaContext can still tell the run.
      const run =
        'step' in second ? second : { runId: second.runId, pipeline: second.pipeline, step: 'onFinish' };
      const outer = orkaStorage.getStore();
      return orkaStorage.run(
        { request: outer?.request, contextId: outer?.contextId, ctx, run },
        call,
        method,
        ctx,
        second,
      );
    };
  }
}

/** All predicates of a method with stacked `@When` must hold. */
function allOf(conditions: Condition<never>[]): Condition<object> {
  if (conditions.length === 1) return conditions[0] as Condition<object>;
  return async (ctx: object) => {
    for (const c of conditions) if (!(await (c as Condition<object>)(ctx))) return false;
    return true;
  };
}

function isClass(value: unknown): value is Type<object> {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function describe(value: unknown): string {
  return typeof value === 'function' ? value.name || 'an anonymous function' : String(value);
}

/** Stands in for a sub-pipeline that could not be found; the definition error stops the bootstrap anyway. */
function placeholder(name: string): KernelPipeline<object> {
  const p = new KernelPipeline<object>(`${name}:missing-sub-pipeline`, ['missing']);
  p.optional('missing');
  return p;
}
