import { Inject, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { PipelineDecoratorOptions } from '../interfaces/pipeline-options.interface.js';
import { ORKA_MODULE_HINT_KEY, ORKA_MODULE_PRESENCE, PIPELINE_METADATA } from '../orka.constants.js';

/**
 * Marks a class as a pipeline: its `@Step` methods are discovered at bootstrap and compiled into a
 * pipeline that `PipelineRunner` runs. The class becomes injectable; provide it in any module.
 *
 * ```ts
 * @Pipeline({ name: 'onboarding', context: OnboardingContext })
 * export class OnboardingPipeline { @Step('validate_input') validate(ctx: OnboardingContext) {} }
 * ```
 * @publicApi
 */
export function Pipeline(options: PipelineDecoratorOptions = {}): ClassDecorator {
  return applyDecorators(
    Injectable(options.scope === undefined ? undefined : { scope: options.scope }),
    SetMetadata(PIPELINE_METADATA, options),
    // A pipeline in an application that forgot OrkaModule.forRoot() fails at bootstrap with Nest's
    // error naming this property, rather than sitting there, never discovered.
    (target: object) =>
      Inject(ORKA_MODULE_PRESENCE)((target as { prototype: object }).prototype, ORKA_MODULE_HINT_KEY),
  );
}
