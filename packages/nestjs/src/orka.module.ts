import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, ApplicationConfig, DiscoveryModule, ModulesContainer } from '@nestjs/core';
import { OrkaContext } from './runtime/orka-context.js';
import { RunErrorClassifier } from './http/run-error-classifier.js';
import { OrkaExceptionFilter } from './http/orka-exception.filter.js';
import { OrkaHttpInterceptor } from './http/orka-http.interceptor.js';
import type {
  OrkaModuleAsyncOptions,
  OrkaModuleOptions,
} from './interfaces/orka-module-options.interface.js';
import { ORKA_MODULE_OPTIONS, ORKA_MODULE_PRESENCE, ORKA_STEP_OVERRIDES } from './orka.constants.js';
import { OrkaRequestGuard } from './http/orka-request.guard.js';
import {
  addGlobalGuard,
  addGlobalInterceptor,
  destroyFirst,
  nameForMissingModule,
} from './nest-internals.js';
import { PipelineRunner } from './runtime/pipeline-runner.js';
import { RunLogger } from './runtime/run-logger.js';
import { ShutdownGate } from './runtime/shutdown-gate.js';
import { OrkaMetadataAccessor } from './discovery/orka-metadata.accessor.js';
import { PipelineExplorer } from './discovery/pipeline.explorer.js';
import { PipelineRegistry } from './runtime/pipeline.registry.js';

const sharedProviders: Provider[] = [
  OrkaMetadataAccessor,
  PipelineExplorer,
  PipelineRegistry,
  PipelineRunner,
  RunLogger,
  ShutdownGate,
  OrkaContext,
  {
    provide: RunErrorClassifier,
    inject: [ORKA_MODULE_OPTIONS],
    useFactory: (options: OrkaModuleOptions) => new RunErrorClassifier(options.errors ?? []),
  },
  OrkaHttpInterceptor,
  OrkaRequestGuard,
  OrkaExceptionFilter,
  { provide: APP_FILTER, useExisting: OrkaExceptionFilter },
  { provide: ORKA_MODULE_PRESENCE, useValue: true },
  // Replaced by `overrideStep` of `@orka/nestjs/testing`.
  { provide: ORKA_STEP_OVERRIDES, useValue: [] },
];

const exported = [PipelineRunner, OrkaContext, ORKA_MODULE_PRESENCE];

// An application that forgot this module is told so by Nest's own "cannot resolve" error.
nameForMissingModule([PipelineRunner, OrkaContext], 'import OrkaModule.forRoot() in the root module');

/**
 * Discovers the application's `@Pipeline` classes at bootstrap and provides `PipelineRunner` and
 * `OrkaContext` to every module (it is global). Import it once, in the root module.
 *
 * ```ts
 * @Module({ imports: [OrkaModule.forRoot()], providers: [OnboardingPipeline] })
 * export class AppModule {}
 * ```
 * @publicApi
 */
@Global()
@Module({})
export class OrkaModule implements NestModule {
  constructor(
    modules: ModulesContainer,
    private readonly registry: PipelineRegistry,
    private readonly config: ApplicationConfig,
    private readonly errorInterceptor: OrkaHttpInterceptor,
    private readonly requestGuard: OrkaRequestGuard,
    private readonly exceptionFilter: OrkaExceptionFilter,
    private readonly classifier: RunErrorClassifier,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
  ) {
    // The runner drains runs in flight in its onModuleDestroy (N9): first, while the services they use
    // are alive. (Init hooks then run last for this module; the registry assembles on first use anyway.)
    destroyFirst(modules, OrkaModule);
  }

  /**
   * Runs while an HTTP application registers its modules, before its routes, and decides once where
   * errors of runs are mapped (N6): in the exception filter, which costs nothing until something
   * throws; or, when a global catch-all filter of the application would take them before Orka's, in
   * the interceptor, installed only then. With context tracking on, a guard makes requests known to
   * runs (N5).
   */
  configure(_consumer: MiddlewareConsumer): void {
    if (this.registry.tracking) addGlobalGuard(this.config, this.requestGuard);
    const mapInInterceptor = this.options.httpErrors !== false && this.exceptionFilter.shadowed();
    if (!mapInInterceptor) return;
    this.exceptionFilter.handOnOnly();
    this.errorInterceptor.setup(this.classifier);
    addGlobalInterceptor(this.config, this.errorInterceptor);
  }

  /** Configures Orka with static options. */
  static forRoot(options: OrkaModuleOptions = {}): DynamicModule {
    return {
      global: true,
      module: OrkaModule,
      imports: [DiscoveryModule],
      providers: [{ provide: ORKA_MODULE_OPTIONS, useValue: options }, ...sharedProviders],
      exports: exported,
    };
  }

  /** Configures Orka with options built by a factory that can inject providers. */
  static forRootAsync(options: OrkaModuleAsyncOptions): DynamicModule {
    return {
      global: true,
      module: OrkaModule,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: ORKA_MODULE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        ...sharedProviders,
      ],
      exports: exported,
    };
  }
}
