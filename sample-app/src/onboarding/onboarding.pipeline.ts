import { Compensate, Otherwise, Pipeline, Step, SubPipeline, When, type StepRun } from '@orka/nestjs';
import { MailerService } from '../fakes/mailer.service.js';
import { TransientError } from '../fakes/transient-error.js';
import { OnboardingContext, ProvisioningContext } from './onboarding.context.js';
import { BasicProvisioningPipeline, PremiumProvisioningPipeline } from './provisioning.pipelines.js';
import { UsersService } from './users.service.js';

const toProvisioning = (ctx: OnboardingContext) => ({ userId: ctx.userId! });
const fromProvisioning = (ctx: OnboardingContext, sub: ProvisioningContext) => {
  ctx.provisioningStatus = sub.status;
};

/** Signup: the flow Orka was conceived around. */
@Pipeline({ name: 'onboarding', context: OnboardingContext })
export class OnboardingPipeline {
  constructor(
    private readonly users: UsersService,
    private readonly mailer: MailerService,
  ) {}

  @Step('validate_input')
  validate(ctx: OnboardingContext) {
    ctx.email = ctx.email.trim().toLowerCase();
  }

  @Step('create_user_account')
  async createUser(ctx: OnboardingContext) {
    ctx.userId = await this.users.create(ctx.email, ctx.planType);
  }

  @Compensate('create_user_account')
  async removeUser(ctx: OnboardingContext) {
    await this.users.remove(ctx.userId!);
  }

  @Step('determine_provisioning')
  @When((ctx: OnboardingContext) => ctx.planType === 'premium')
  @SubPipeline(PremiumProvisioningPipeline, { extract: toProvisioning, merge: fromProvisioning })
  premium() {}

  @Step('determine_provisioning')
  @Otherwise()
  @SubPipeline(BasicProvisioningPipeline, { extract: toProvisioning, merge: fromProvisioning })
  basic() {}

  @Step('send_welcome_email', {
    retry: {
      attempts: 3,
      backoff: 'exponential',
      delayMs: 20,
      retryOn: (err) => err instanceof TransientError,
    },
  })
  async welcome(ctx: OnboardingContext, run: StepRun) {
    await this.mailer.send(ctx.email, 'Welcome to the demo', run.runId);
    ctx.welcomeEmailSent = true;
  }
}
