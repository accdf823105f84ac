import { Continue, Pipeline, Stop, type StepRun } from '@orka/core';

/** The context every step of one onboarding run shares. */
export interface OnboardingContext {
  email: string;
  planType: 'basic' | 'premium' | 'enterprise';
  userId?: string;
  provisioningStatus?: string;
  welcomeEmailSent?: boolean;
}

/** What the provisioning sub-pipelines work on: only what they need. */
export interface ProvisioningContext {
  userId: string;
  status?: string;
}

/** The input was not acceptable. */
export class InvalidInput extends Error {
  constructor() {
    super('email must contain "@"');
    this.name = 'InvalidInput';
  }
}

/** An in-memory user store standing in for a real service. */
export const users = {
  created: [] as string[],
  async create(email: string, signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    await Promise.resolve();
    this.created.push(email);
    return `user-${this.created.length}`;
  },
};

/** A sent-mail log standing in for a mailer. */
export const mailbox: string[] = [];

const basicProvisioning = new Pipeline<ProvisioningContext>('basic_provisioning', ['create_free_workspace']);
basicProvisioning.onStep('create_free_workspace', (ctx) => {
  ctx.status = `basic workspace for ${ctx.userId}`;
});

async function premiumFactory(ctx: OnboardingContext): Promise<Pipeline<ProvisioningContext>> {
  // A factory may build or pick the sub-pipeline per run, for example from a feature flag.
  const premium = new Pipeline<ProvisioningContext>('premium_provisioning', [
    'create_workspace',
    'assign_account_manager',
  ]);
  premium.onStep('create_workspace', (sub) => {
    sub.status = `premium workspace for ${sub.userId}`;
  });
  premium.onStep('assign_account_manager', (sub) => {
    sub.status += ` (manager assigned to ${ctx.email})`;
  });
  return premium;
}

const h = (ctx: OnboardingContext, run: StepRun) => {
  console.log(`    ${run.step}: ${ctx.welcomeEmailSent ? 'after' : 'before'} sending`);
};

/** The onboarding pipeline of the contract, written with the builder. */
export const onboarding = new Pipeline<OnboardingContext>('onboarding', [
  'validate_input',
  'create_user_account',
  'determine_provisioning',
  'send_welcome_email',
]);
onboarding.onStep('validate_input', (ctx) => {
  if (!ctx.email.includes('@')) throw new InvalidInput();
});
onboarding.onStep('create_user_account', async (ctx, run) => {
  ctx.userId = await users.create(ctx.email, run.signal);
  return Continue;
});
onboarding
  .conditionalStep('determine_provisioning')
  .ifCondition((ctx) => ctx.planType === 'basic')
  .runSubPipeline(
    basicProvisioning,
    (ctx) => ({ userId: ctx.userId! }),
    (ctx, sub) => {
      ctx.provisioningStatus = sub.status;
    },
  )
  .ifCondition((ctx) => ctx.planType === 'premium')
  .runSubPipeline(
    async (ctx) => premiumFactory(ctx),
    (ctx) => ({ userId: ctx.userId! }),
    (ctx, sub) => {
      ctx.provisioningStatus = sub.status;
    },
  )
  .ifNoMatch(Stop)
  .finalize();
onboarding.beforeStep('send_welcome_email', h).afterStep('send_welcome_email', h);
onboarding.onStep('send_welcome_email', (ctx) => {
  mailbox.push(ctx.email);
  ctx.welcomeEmailSent = true;
});
onboarding.optional('send_welcome_email');
onboarding.skipIf('send_welcome_email', (ctx) => !ctx.email, 'no email');
onboarding.onFinish(async (ctx, outcome) => {
  console.log(`    onFinish: ${outcome.status}${ctx.userId ? ` for ${ctx.userId}` : ''}`);
});
