import type { Type } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { StepOverride } from '../interfaces/pipeline-host.interface.js';
import type { StepRun } from '@orka/core';
import '../interfaces/step-run.interface.js';
import { ORKA_STEP_OVERRIDES } from '../orka.constants.js';

const overridesOf = new WeakMap<TestingModuleBuilder, StepOverride[]>();

/**
 * Replaces one step's handlers in a testing module (N7): `handler` becomes the only handler of the
 * step's `on` phase (its branches included) of the pipeline registered for `pipeline`. Returns the same
 * builder, so calls chain with `overrideProvider`.
 *
 * ```ts
 * const moduleRef = await overrideStep(Test.createTestingModule({ imports: [AppModule] }), OnboardingPipeline,
 *   'send_welcome_email', (ctx) => { ctx.welcomeEmailSent = false; }).compile();
 * ```
 * @publicApi
 */
export function overrideStep<C>(
  builder: TestingModuleBuilder,
  pipeline: Type<unknown> | string,
  step: string,
  handler: (ctx: C, run: StepRun) => unknown,
): TestingModuleBuilder {
  const overrides = [...(overridesOf.get(builder) ?? []), { pipeline, step, handler } as StepOverride];
  overridesOf.set(builder, overrides);
  return builder.overrideProvider(ORKA_STEP_OVERRIDES).useValue(overrides);
}
