import { Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { OrkaConfigurationError } from '@orka/nestjs';
import { studioController } from './api/studio.controller.js';
import { STUDIO_OPTIONS, StudioState } from './api/studio-state.js';
import type { OrkaStudioOptions } from './studio-options.interface.js';
import { BAD_PATH, NO_GUARD, UNAUTHENTICATED_WARNING } from './studio.messages.js';

/**
 * Orka Studio (V1-V6): a page, served by the application itself, that draws every pipeline and shows
 * every run live, and lets an operator signal or cancel one. Import it beside `OrkaModule.forRoot()`.
 *
 * ```ts
 * @Module({ imports: [OrkaModule.forRoot({ store }), OrkaStudioModule.forRoot({ path: '/orka', guard: AdminGuard })] })
 * export class AppModule {}
 * ```
 * @publicApi
 */
@Module({})
export class OrkaStudioModule implements OnModuleInit {
  constructor(@Inject(STUDIO_OPTIONS) private readonly options: OrkaStudioOptions & { path: string }) {}

  /** Serves the Studio at `path` (default `/orka`); refuses to without a guard unless told `allowUnauthenticated` (V5). */
  static forRoot(options: OrkaStudioOptions = {}): DynamicModule {
    const path = (options.path ?? '/orka').replace(/\/+$/, '') || '/orka';
    if (!/^\/[\w\-/]*$/.test(path)) throw new OrkaConfigurationError([BAD_PATH(path)], 'Orka Studio');
    if (options.guard === undefined && options.allowUnauthenticated !== true)
      throw new OrkaConfigurationError([NO_GUARD], 'Orka Studio');
    return {
      module: OrkaStudioModule,
      controllers: [studioController(path, options.guard)],
      providers: [
        { provide: STUDIO_OPTIONS, useValue: { ...options, path } },
        StudioState,
        ...(options.guard ? [options.guard] : []),
      ],
    };
  }

  onModuleInit(): void {
    if (this.options.guard === undefined)
      new Logger('OrkaStudio').warn(UNAUTHENTICATED_WARNING(this.options.path));
  }
}
