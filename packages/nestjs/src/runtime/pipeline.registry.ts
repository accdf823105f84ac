import { Inject, Injectable, Logger, Optional, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Pipeline as KernelPipeline } from '@orka/core';
import { OrkaContext } from './orka-context.js';
import { PipelineNotFoundError } from '../errors/pipeline-not-found.error.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import type { StepOverride } from '../interfaces/pipeline-host.interface.js';
import { ORKA_MODULE_OPTIONS, ORKA_STEP_OVERRIDES } from '../orka.constants.js';
import { REQUEST_SCOPED_COST } from '../orka.messages.js';
import { PipelineAssembler, type AssembledPipeline } from '../assembly/pipeline-assembler.js';
import { OrkaMetadataAccessor } from '../discovery/orka-metadata.accessor.js';
import { PipelineExplorer } from '../discovery/pipeline.explorer.js';
import { injects, type DiscoveredWrapper } from '../nest-internals.js';
import type { ContextValidationSettings } from '../validation/context-validator.js';
import { DEFAULT_MAX_INPUT_DEPTH } from '../validation/sanitize-input.js';

// Orka's own providers inject OrkaContext to serve it; they are not users of it.
const orkaOwnProviders = new Set<unknown>([OrkaContext]);

/** A registered pipeline, ready to run. */
export type RegisteredPipeline = AssembledPipeline;

/**
 * Holds every assembled pipeline of the application. Discovers and assembles them at `onModuleInit`
 * (N1), so that a definition problem makes `app.init()` reject with one error naming every problem;
 * a runner that is used before (another module's `onModuleInit`) assembles them first.
 */
@Injectable()
export class PipelineRegistry implements OnModuleInit {
  private readonly logger = new Logger('Orka');
  private byToken?: Map<unknown, RegisteredPipeline>;
  private byName?: Map<string, RegisteredPipeline>;
  private trackingOn = false;
  private anyRequestScoped = false;

  constructor(
    private readonly explorer: PipelineExplorer,
    private readonly accessor: OrkaMetadataAccessor,
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    private readonly orkaContext: OrkaContext,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
    @Optional() @Inject(ORKA_STEP_OVERRIDES) private readonly overrides: StepOverride[] | null,
  ) {}

  onModuleInit(): void {
    this.ensureAssembled();
  }

  /** Whether runs track context for `OrkaContext` (decided at bootstrap). */
  get tracking(): boolean {
    this.ensureAssembled();
    return this.trackingOn;
  }

  /** Whether any pipeline is request-scoped. */
  get hasRequestScoped(): boolean {
    this.ensureAssembled();
    return this.anyRequestScoped;
  }

  /** The pipeline registered for a provider token (a class) or a name. */
  get(target: unknown): RegisteredPipeline {
    const found = this.find(target);
    if (!found) {
      const label = typeof target === 'function' ? `for class ${target.name}` : `named "${String(target)}"`;
      throw new PipelineNotFoundError(label, [...this.names().keys()]);
    }
    return found;
  }

  /** The kernel pipeline for a `run.subPipeline` source that is a registered class or name. */
  kernelFor(source: unknown): KernelPipeline<unknown> | undefined {
    return this.find(source)?.kernel as KernelPipeline<unknown> | undefined;
  }

  /** A pipeline by name (a string) or by provider token (anything else). */
  private find(target: unknown): RegisteredPipeline | undefined {
    return typeof target === 'string' ? this.names().get(target) : this.entries().get(target);
  }

  /** Every registered pipeline's kernel pipeline. */
  kernels(): KernelPipeline<unknown>[] {
    return [...this.names().values()].map((e) => e.kernel as KernelPipeline<unknown>);
  }

  /**
   * The class the payload of signal `signal` to a run of `pipeline` is validated into: that of the
   * pipeline's own `@WaitFor`, else of any pipeline's (a wait in one of its sub-pipelines); undefined
   * when no wait declares one.
   */
  signalPayload(pipeline: string, signal: string): Type<object> | undefined {
    const own = this.names().get(pipeline)?.signals;
    if (own?.has(signal)) return own.get(signal);
    for (const entry of this.names().values())
      if (entry.signals.get(signal)) return entry.signals.get(signal);
    return undefined;
  }

  /** The input validation settings of the application (N4). */
  get validation(): ContextValidationSettings {
    return {
      forbidUnknownProperties: this.options.validation?.forbidUnknownProperties ?? true,
      maxDepth: this.options.validation?.maxDepth ?? DEFAULT_MAX_INPUT_DEPTH,
      validatorOptions: this.options.validation?.validatorOptions,
      transformOptions: this.options.validation?.transformOptions,
    };
  }

  /** Whether any pipeline is durable. */
  get hasDurable(): boolean {
    return [...this.names().values()].some((e) => e.host.options.durable === true);
  }

  /** The names of every registered pipeline. */
  pipelineNames(): string[] {
    return [...this.names().keys()];
  }

  private entries(): Map<unknown, RegisteredPipeline> {
    this.ensureAssembled();
    return this.byToken!;
  }

  private names(): Map<string, RegisteredPipeline> {
    this.ensureAssembled();
    return this.byName!;
  }

  private ensureAssembled(): void {
    if (this.byToken) return;
    const hosts = this.explorer.explore();
    this.anyRequestScoped = hosts.some((h) => h.requestScoped);
    const mode = this.options.context ?? 'auto';
    this.trackingOn =
      mode === true ||
      (mode === 'auto' && (hosts.some((h) => h.requestScoped) || this.orkaContextInjected()));
    this.orkaContext.trackingEnabled = this.trackingOn;
    const assembler = new PipelineAssembler({
      accessor: this.accessor,
      moduleRef: this.moduleRef,
      validation: this.validation,
      tracking: this.trackingOn,
      overrides: this.overrides ?? [],
    });
    const assembled = assembler.assembleAll(hosts);
    this.byToken = new Map();
    this.byName = new Map();
    for (const [token, entry] of assembled) {
      this.byToken.set(token, entry);
      this.byName.set(entry.host.name, entry);
      if (entry.host.requestScoped)
        this.logger.log(REQUEST_SCOPED_COST(entry.host.cls.name, entry.host.name));
    }
  }

  /** Whether a provider or controller injects `OrkaContext` through its constructor or a property. */
  private orkaContextInjected(): boolean {
    const wrappers: DiscoveredWrapper[] = [
      ...this.discovery.getProviders(),
      ...this.discovery.getControllers(),
    ];
    return wrappers.some((w) => {
      const cls = w.metatype as Type<unknown> | null;
      if (!cls || typeof cls !== 'function' || orkaOwnProviders.has(cls)) return false;
      return injects(cls, OrkaContext) || (w.inject ?? []).includes(OrkaContext);
    });
  }
}

orkaOwnProviders.add(PipelineRegistry);
