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
import { OrkaContext } from './context/orka-context.js';
import { OrkaErrorMapper } from './http/error-mapper.js';
import { OrkaExceptionFilter } from './http/orka-exception.filter.js';
import { OrkaHttpInterceptor } from './http/orka-http.interceptor.js';
import type {
  OrkaModuleAsyncOptions,
  OrkaModuleOptions,
} from './interfaces/orka-module-options.interface.js';
import { ORKA_MODULE_OPTIONS, ORKA_MODULE_PRESENCE, ORKA_STEP_OVERRIDES } from './orka.constants.js';
import { PipelineRunner } from './pipeline-runner.js';
import { PipelineExplorer } from './pipeline.explorer.js';
import { PipelineRegistry } from './pipeline.registry.js';

const sharedProviders: Provider[] = [
  PipelineExplorer,
  PipelineRegistry,
  PipelineRunner,
  OrkaContext,
  {
    provide: OrkaErrorMapper,
    inject: [ORKA_MODULE_OPTIONS],
    useFactory: (options: OrkaModuleOptions) => new OrkaErrorMapper(options.errors ?? []),
  },
  OrkaHttpInterceptor,
  OrkaExceptionFilter,
  { provide: APP_FILTER, useExisting: OrkaExceptionFilter },
  { provide: ORKA_MODULE_PRESENCE, useValue: true },
  // Replaced by `overrideStep` of `@orka/nestjs/testing`.
  { provide: ORKA_STEP_OVERRIDES, useValue: [] },
];

const exported = [PipelineRunner, OrkaContext, ORKA_MODULE_PRESENCE];

// Nest names a missing dependency by its class's name: "the argument PipelineRunner (import
// OrkaModule.forRoot() in the root module)" then tells an application that forgot the module what to import.
for (const cls of [PipelineRunner, OrkaContext]) {
  Object.defineProperty(cls, 'name', {
    value: `${cls.name} (import OrkaModule.forRoot() in the root module)`,
  });
}

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
    private readonly requestInterceptor: OrkaHttpInterceptor,
    private readonly exceptionFilter: OrkaExceptionFilter,
    private readonly errorMapper: OrkaErrorMapper,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
  ) {
    // Nest calls onModuleDestroy module by module, nearest to the root first and global modules last.
    // The runner drains runs in flight there (N9); placed first, it lets them finish while the services
    // they use are still alive. (Init hooks, in the reverse order, then run last for this module; the
    // registry compiles on first use anyway.)
    for (const moduleRef of modules.values()) {
      if (moduleRef.metatype === OrkaModule) moduleRef.distance = 0;
    }
  }

  /**
   * Runs while an HTTP application registers its modules, before its routes. The interceptor is
   * installed only when needed: to make requests known to runs when context tracking is on (N5), and
   * to map errors of runs early when a global catch-all filter of the application would take them
   * before Orka's filter (N6).
   */
  configure(_consumer: MiddlewareConsumer): void {
    const capture = this.registry.tracking;
    const mapEarly = this.options.httpErrors !== false && this.exceptionFilter.shadowed();
    if (!capture && !mapEarly) return;
    this.requestInterceptor.setup(capture, mapEarly ? this.errorMapper : null);
    this.config.addGlobalInterceptor(this.requestInterceptor);
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
