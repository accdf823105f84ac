import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { PipelineRunner } from '@orka/nestjs';
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
    const { context, runId, steps } = await this.runner.run(OnboardingPipeline, body);
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
