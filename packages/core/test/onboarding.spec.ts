// The onboarding pipeline of CONTRACT.md section 2, written with the builder exactly as there.
import { describe, it, expect } from '@jest/globals';
import { Pipeline, Continue, Stop, TraceCollector, runFailure } from '../src/index.js';
import type { RunOutcome, StepRun } from '../src/index.js';
import { recorder, trail } from './helpers.js';

// ---- the reader's own types, pipelines, errors, services and handlers (stand-ins) ----

interface OnboardingContext {
  email: string;
  planType: 'basic' | 'premium';
  userId?: string | undefined;
  provisioningStatus?: string | undefined;
  welcomeEmailSent?: boolean | undefined;
}

interface ProvisioningContext {
  userId: string;
  status?: string | undefined;
}

class InvalidInput extends Error {
  constructor() {
    super('invalid input');
    this.name = 'InvalidInput';
  }
}

const journal: string[] = [];
const finishes: RunOutcome[] = [];
const factoryCalls: OnboardingContext[] = [];
const signalsSeen: AbortSignal[] = [];

const users = {
  created: [] as string[],
  async create(email: string, signal: AbortSignal): Promise<string> {
    signalsSeen.push(signal);
    this.created.push(email);
    return `user-${this.created.length}`;
  },
};

const basicProvisioning = new Pipeline<ProvisioningContext>('basic_provisioning', ['allocate_quota']);
basicProvisioning.onStep('allocate_quota', (sub) => {
  journal.push(`basic provisioning for ${sub.userId}`);
  sub.status = 'basic-ready';
});

function premiumFactory(ctx: OnboardingContext): Pipeline<ProvisioningContext> {
  factoryCalls.push(ctx);
  const premium = new Pipeline<ProvisioningContext>('premium_provisioning', [
    'allocate_quota',
    'assign_manager',
  ]);
  premium.onStep('allocate_quota', (sub) => {
    journal.push(`premium quota for ${sub.userId}`);
    sub.status = 'premium-quota';
  });
  premium.onStep('assign_manager', (sub) => {
    journal.push(`manager for ${sub.userId}`);
    sub.status = 'premium-ready';
  });
  return premium;
}

const h = (ctx: OnboardingContext, run: StepRun) => {
  journal.push(`${run.step} hook for ${ctx.email}`);
};

// ---- the pipeline, as in the contract ----

const onboarding = new Pipeline<OnboardingContext>('onboarding', [
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
  )
  .ifNoMatch(Stop) // Continue (default) | Stop | 'fail' | (ctx) => Error
  .finalize();
onboarding.beforeStep('send_welcome_email', h).afterStep('send_welcome_email', h);
onboarding.optional('send_welcome_email');
onboarding.skipIf('send_welcome_email', (ctx) => !ctx.email, 'no email');
onboarding.onFinish(async (ctx, outcome) => {
  /* always runs */ finishes.push(outcome);
  journal.push(`finished ${outcome.status}`);
});

function reset(): void {
  journal.length = 0;
  finishes.length = 0;
  factoryCalls.length = 0;
  signalsSeen.length = 0;
  users.created.length = 0;
}

describe('onboarding pipeline of the contract (K1, K3, K5, K6, K7, K8)', () => {
  it('K6 basic plan: the basic sub-pipeline runs on the extracted context and its status is merged back', async () => {
    reset();
    const controller = new AbortController();
    const ctx: OnboardingContext = { email: 'ada@example.com', planType: 'basic' };
    const rec = recorder();

    const result = await onboarding.run(ctx, { signal: controller.signal, observer: rec.observer });

    expect(result.outcome).toBe('completed');
    expect(result.pipeline).toBe('onboarding');
    expect(result.context).toBe(ctx);
    expect(ctx).toEqual({
      email: 'ada@example.com',
      planType: 'basic',
      userId: 'user-1',
      provisioningStatus: 'basic-ready',
    });
    expect(result.steps.map((r) => ({ step: r.step, status: r.status, branch: r.branch }))).toEqual([
      { step: 'validate_input', status: 'completed', branch: undefined },
      { step: 'create_user_account', status: 'completed', branch: undefined },
      { step: 'determine_provisioning', status: 'completed', branch: 0 },
      { step: 'send_welcome_email', status: 'completed', branch: undefined },
    ]);
    for (const r of result.steps) expect(r.attempts).toBe(1);
    expect(journal).toEqual([
      'basic provisioning for user-1',
      'send_welcome_email hook for ada@example.com',
      'send_welcome_email hook for ada@example.com',
      'finished completed',
    ]);
    expect(factoryCalls).toEqual([]);
    expect(signalsSeen).toHaveLength(1);
    expect(signalsSeen[0]!.aborted).toBe(false);
    expect(finishes).toEqual([
      expect.objectContaining({ status: 'completed', pipeline: 'onboarding', runId: result.runId }),
    ]);
    const sub = rec.events.filter((e) => e.pipeline === 'basic_provisioning');
    expect(sub.map((e) => e.type)).toEqual(['run.started', 'step.started', 'step.completed', 'run.finished']);
    expect(sub.every((e) => e.parentRunId === result.runId)).toBe(true);
  });

  it('K6 premium plan: the factory is called with the context, its pipeline runs detached (no merge)', async () => {
    reset();
    const ctx: OnboardingContext = { email: 'grace@example.com', planType: 'premium' };
    const rec = recorder();

    const result = await onboarding.run(ctx, { observer: rec.observer });

    expect(result.outcome).toBe('completed');
    expect(ctx.userId).toBe('user-1');
    expect(ctx.provisioningStatus).toBeUndefined();
    expect(factoryCalls).toHaveLength(1);
    expect(factoryCalls[0]).toBe(ctx);
    expect(result.steps.map((r) => [r.step, r.status, r.branch])).toEqual([
      ['validate_input', 'completed', undefined],
      ['create_user_account', 'completed', undefined],
      ['determine_provisioning', 'completed', 1],
      ['send_welcome_email', 'completed', undefined],
    ]);
    expect(journal).toEqual([
      'premium quota for user-1',
      'manager for user-1',
      'send_welcome_email hook for grace@example.com',
      'send_welcome_email hook for grace@example.com',
      'finished completed',
    ]);
    expect(trail(rec.events.filter((e) => e.pipeline === 'onboarding'))).toEqual([
      'run.started',
      'step.started:validate_input',
      'step.completed:validate_input',
      'step.started:create_user_account',
      'step.completed:create_user_account',
      'step.started:determine_provisioning',
      'branch.matched:determine_provisioning',
      'step.completed:determine_provisioning',
      'step.started:send_welcome_email',
      'step.completed:send_welcome_email',
      'run.finished',
    ]);
    expect(
      rec.events
        .filter((e) => e.pipeline === 'premium_provisioning' && e.type === 'step.completed')
        .map((e) => e.step),
    ).toEqual(['allocate_quota', 'assign_manager']);
  });

  it('K3 invalid input: the run rejects with the InvalidInput instance at validate_input; nothing else runs but onFinish', async () => {
    reset();
    const ctx: OnboardingContext = { email: 'not-an-email', planType: 'basic' };

    const err = await onboarding.run(ctx, { runId: 'bad-input' }).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(InvalidInput);
    expect(runFailure(err)).toMatchObject({
      pipeline: 'onboarding',
      step: 'validate_input',
      runId: 'bad-input',
      rootRunId: 'bad-input',
    });
    expect(runFailure(err)!.steps).toEqual([
      expect.objectContaining({ step: 'validate_input', status: 'failed', error: err }),
    ]);
    expect(users.created).toEqual([]);
    expect(ctx.userId).toBeUndefined();
    expect(journal).toEqual(['finished failed']);
    expect(finishes).toEqual([expect.objectContaining({ status: 'failed', error: err, runId: 'bad-input' })]);
  });

  it('K6 a plan that matches no branch stops the run (ifNoMatch(Stop)) before the welcome mail', async () => {
    reset();
    const ctx = { email: 'x@example.com', planType: 'enterprise' } as unknown as OnboardingContext;

    const result = await onboarding.run(ctx);

    expect(result.outcome).toBe('stopped');
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['validate_input', 'completed'],
      ['create_user_account', 'completed'],
      ['determine_provisioning', 'stopped'],
    ]);
    expect(ctx.welcomeEmailSent).toBeUndefined();
    expect(journal).toEqual(['finished stopped']);
  });

  it('K11 the plan of the onboarding pipeline runs every step for a valid context', () => {
    expect(onboarding.plan({ email: 'a@b.c', planType: 'basic' }).map((e) => [e.step, e.action])).toEqual([
      ['validate_input', 'run'],
      ['create_user_account', 'run'],
      ['determine_provisioning', 'run'],
      ['send_welcome_email', 'run'],
    ]);
    expect(onboarding.plan({ email: '', planType: 'basic' })[3]).toMatchObject({
      action: 'skip',
      reason: 'no email',
    });
  });
});

describe("the README's testing guide", () => {
  it('K13 asserts the result, the records, the branches and the plan as the guide shows', async () => {
    const trace = new TraceCollector();
    const result = await onboarding.run(
      { email: 'ada@example.com', planType: 'basic' },
      { observer: trace.observer },
    );
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.step, s.status])).toContainEqual(['send_welcome_email', 'completed']);
    expect(trace.branches()).toEqual([{ step: 'determine_provisioning', branch: 0 }]);
    expect(onboarding.plan({ email: '', planType: 'basic' }).at(-1)).toEqual({
      step: 'send_welcome_email',
      action: 'skip',
      reason: 'no email',
    });
  });
});
