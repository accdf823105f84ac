import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { OrkaModule } from '../orka.module.js';

/**
 * A testing module with `OrkaModule.forRoot(options)` imported beside `metadata`: the quickest way
 * to test pipelines and the services they use.
 *
 * ```ts
 * const moduleRef = await createOrkaTestingModule({ providers: [OnboardingPipeline, UsersService] }).compile();
 * await moduleRef.init();
 * ```
 * @publicApi
 */
export function createOrkaTestingModule(
  metadata: ModuleMetadata,
  options: OrkaModuleOptions = {},
): TestingModuleBuilder {
  return Test.createTestingModule({
    ...metadata,
    imports: [OrkaModule.forRoot(options), ...(metadata.imports ?? [])],
  });
}
