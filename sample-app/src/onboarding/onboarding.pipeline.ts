import { Compensate, Otherwise, Pipeline, Sleep, Step, SubPipeline, When, type StepRun } from '@orka/nestjs';
import { MailerService } from '../fakes/mailer.service.js';
import { TransientError } from '../fakes/transient-error.js';
import { OnboardingContext, ProvisioningContext } from './onboarding.context.js';
import { BasicProvisioningPipeline, PremiumProvisioningPipeline } from './provisioning.pipelines.js';
import { UsersService } from './users.service.js';

const toProvisioning = (ctx: OnboardingContext) => ({ userId: ctx.userId! });
const fromProvisioning = (ctx: OnboardingContext, sub: ProvisioningContext) => {
  ctx.provisioningStatus = sub.status;
};

/** How long after signing up a user gets the "how is it going" mail (`FOLLOW_UP_DELAY_MS`, default a minute). */
export function followUpDelayMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FOLLOW_UP_DELAY_MS;
  const n = raw === undefined ? 60_000 : Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`FOLLOW_UP_DELAY_MS must be a whole number of ms, got ${JSON.stringify(raw)}.`);
  return n;
}

/**
 * Signup: the flow Orka was conceived around. Durable: after the welcome mail the run sleeps, holding
 * nothing, and sends a follow-up mail when the time is up, also after a restart of the app.
 */
@Pipeline({ name: 'onboarding', context: OnboardingContext, durable: true, version: '2' })
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

  @Step('follow_up')
  @Sleep(() => followUpDelayMs())
  async followUp(ctx: OnboardingContext, run: StepRun) {
    await this.mailer.send(ctx.email, 'How is it going?', run.stepKey);
    ctx.followUpSent = true;
  }
}
