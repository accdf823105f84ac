import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { PipelineRunner } from '@orka/nestjs';
import { endedOrWaiting } from '../http/ended-or-waiting.js';
import type { OnboardingContext } from './onboarding.context.js';
import { OnboardingPipeline } from './onboarding.pipeline.js';
import { UsersService } from './users.service.js';

@Controller('users')
export class UsersController {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly users: UsersService,
  ) {}

  /** Signs a user up: runs the onboarding pipeline. */
  @Post()
  @HttpCode(201)
  async signup(@Body() body: unknown) {
    // The run goes on after the answer: it sleeps until the follow-up mail (a durable wait).
    const run = await endedOrWaiting<OnboardingContext>(this.runner, (observe) =>
      this.runner.start(OnboardingPipeline, body, observe),
    );
    const { context, runId, steps } = run.ended
      ? run.result
      : { context: run.snapshot.context as OnboardingContext, runId: run.runId, steps: run.snapshot.steps };
    return {
      userId: context.userId,
      email: context.email,
      planType: context.planType,
      provisioning: context.provisioningStatus,
      welcomeEmailSent: context.welcomeEmailSent ?? false,
      runId,
      steps: steps.map((s) => ({ step: s.step, status: s.status, attempts: s.attempts, branch: s.branch })),
    };
  }

  @Get()
  list() {
    return this.users.all();
  }
}
