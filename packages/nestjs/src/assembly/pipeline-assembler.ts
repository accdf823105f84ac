import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import {
  OrkaConfigurationError,
  Pipeline as KernelPipeline,
  type ConfigurationProblem,
  type ConfigurationProblemKind,
  type ContextCodec,
  type ContextPreparer,
} from '@orka/core';
import type { DecoratedMethod, OrkaMetadataAccessor } from '../discovery/orka-metadata.accessor.js';
import { layOutSteps, type StepLayout } from '../discovery/step-layout.js';
import type { PipelineHost, StepOverride } from '../interfaces/pipeline-host.interface.js';
import * as messages from '../orka.messages.js';
import { contextPreparer, type ContextValidationSettings } from '../validation/context-validator.js';
import { classTransformerCodec } from '../durable/class-transformer.codec.js';
import { fillPipeline } from './fill-pipeline.js';
import { invokerFor } from './handler-invoker.js';

/** A `@Pipeline` class assembled into a kernel pipeline. */
export interface AssembledPipeline {
  host: PipelineHost;
  kernel: KernelPipeline<object>;
  /** Turns an input into the run's context (validation), when the pipeline declares a context class. */
  prepare: ContextPreparer<object> | undefined;
  /** The signals its `@WaitFor` steps wait for, with the class each one's payload is validated into (N11). */
  signals: Map<string, Type<object> | undefined>;
}

/** What the assembler needs from the module around it. */
export interface AssemblySettings {
  accessor: OrkaMetadataAccessor;
  moduleRef: ModuleRef;
  validation: ContextValidationSettings;
  /** Run context tracking (OrkaContext): when on, every handler call enters the run's store. */
  tracking: boolean;
  overrides: StepOverride[];
}

/**
 * Kernel problems that can be the consequence of a decorator problem already reported (a step whose
 * only method was misdecorated has no handler): reported only for classes without decorator problems.
 */
const consequential = new Set<ConfigurationProblemKind>([
  'step-without-handlers',
  'conditional-without-branches',
]);

/**
 * Assembles `@Pipeline` classes into kernel pipelines (N1, N2, N8) with the kernel's builder API: reads
 * the decorators, reports definition problems as `Class.method: ...`, and adapts handlers to DI. All
 * validation of a definition is the kernel's; this only says which method a problem is about.
 */
export class PipelineAssembler {
  constructor(private readonly settings: AssemblySettings) {}

  /** Assembles every host; throws one `OrkaConfigurationError` naming every problem of every pipeline. */
  assembleAll(hosts: PipelineHost[]): Map<unknown, AssembledPipeline> {
    const problems: string[] = [...duplicateNames(hosts)];
    // First every pipeline with its steps, so that sub-pipeline references can point at any of them.
    const assembled = new Map<unknown, AssembledPipeline>();
    const layouts = new Map<
      AssembledPipeline,
      { methods: DecoratedMethod[]; steps: StepLayout[]; clean: boolean }
    >();
    for (const host of hosts) {
      if (host.options.durable === true && host.requestScoped)
        problems.push(messages.DURABLE_REQUEST_SCOPED(host.cls.name, host.name));
      const methods = this.settings.accessor.methods(host.cls);
      const { steps, problems: own } = layOutSteps(host, methods);
      problems.push(...own);
      const entry = this.emptyPipeline(host, steps);
      assembled.set(host.token, entry);
      layouts.set(entry, { methods, steps, clean: own.length === 0 });
    }
    problems.push(...this.overrideProblems(layouts));

    const lookup = (token: unknown) => assembled.get(token)?.kernel;
    for (const [entry, { methods, steps }] of layouts) {
      const invoke = invokerFor(entry.host, this.settings.moduleRef, this.settings.tracking);
      const { moduleRef, overrides } = this.settings;
      fillPipeline(entry.host, entry.kernel, methods, steps, {
        invoke,
        lookup,
        moduleRef,
        overrides,
        problems,
      });
    }
    // Validated once all are filled: a pipeline's validation looks into its static sub-pipelines.
    for (const [entry, { steps, clean }] of layouts) {
      for (const p of kernelProblems(entry.kernel)) {
        // A sub-pipeline's own problems are reported by its own validation, under its own class.
        if (p.kind === 'sub-pipeline-problem' || (!clean && p.kind && consequential.has(p.kind))) continue;
        const layout = steps.find((s) => s.name === p.step);
        const method = layout ? (layout.options[0]?.method ?? layout.firstMethod) : undefined;
        problems.push(messages.DEFINITION_PROBLEM(entry.host.cls.name, method, p.message));
      }
    }
    if (problems.length > 0) throw new OrkaConfigurationError(problems, messages.PIPELINES_SUBJECT);
    return assembled;
  }

  private emptyPipeline(host: PipelineHost, steps: StepLayout[]): AssembledPipeline {
    const context = host.options.context;
    const prepare = context
      ? (contextPreparer(host.name, context, this.settings.validation) as ContextPreparer<object>)
      : undefined;
    const { timeoutMs, compensateOnCancel, version } = host.options;
    // Every pipeline with a context class gets the codec: it costs nothing until a durable run (or a
    // sub-run of one) commits a context, and then a resumed step gets an instance of the class (D3).
    const codec = context
      ? (classTransformerCodec(
          host.name,
          context,
          this.settings.validation.transformOptions,
        ) as ContextCodec<object>)
      : undefined;
    const kernel = new KernelPipeline<object>(
      host.name,
      steps.map((s) => s.name),
      { timeoutMs, compensateOnCancel, prepare, version, codec },
    );
    const signals = new Map<string, Type<object> | undefined>();
    for (const { wait } of steps.flatMap((s) => s.waits))
      if (wait.kind === 'signal') signals.set(wait.signal, wait.payload);
    return { host, kernel, prepare, signals };
  }

  /** `overrideStep` of `@orka/nestjs/testing` naming a pipeline or step that does not exist. */
  private overrideProblems(layouts: Map<AssembledPipeline, { steps: StepLayout[] }>): string[] {
    const problems: string[] = [];
    for (const o of this.settings.overrides) {
      const target = [...layouts].find(([e]) => o.pipeline === e.host.token || o.pipeline === e.host.name);
      const label = typeof o.pipeline === 'function' ? o.pipeline.name : String(o.pipeline);
      if (!target) problems.push(messages.OVERRIDE_UNKNOWN_PIPELINE(label));
      else if (!target[1].steps.some((s) => s.name === o.step)) {
        const known = target[1].steps.map((s) => s.name);
        problems.push(messages.OVERRIDE_UNKNOWN_STEP(label, o.step, known));
      }
    }
    return problems;
  }
}

function duplicateNames(hosts: PipelineHost[]): string[] {
  const byName = new Map<string, PipelineHost[]>();
  for (const host of hosts) byName.set(host.name, [...(byName.get(host.name) ?? []), host]);
  return [...byName]
    .filter(([, same]) => same.length > 1)
    .map(([name, same]) =>
      messages.DUPLICATE_PIPELINE_NAME(
        name,
        same.map((h) => h.cls.name),
      ),
    );
}

/** The kernel's own problems of a pipeline, as data (none when it validates). */
function kernelProblems(kernel: KernelPipeline<object>): ConfigurationProblem[] {
  try {
    kernel.validate();
    return [];
  } catch (err) {
    if (err instanceof OrkaConfigurationError) return err.details;
    throw err;
  }
}
