// (a) The kernel through its CommonJS build: `import` compiles to require() here, so this is the
// `require` condition of @orka/core's exports map, as a Nest 11 app loads it.
import { OrkaError, Pipeline, Stop, StepNotFoundError, runFailure } from '@orka/core';

interface SignupContext {
  email: string;
  plan: 'free' | 'paid';
  userId?: string;
  invoiceId?: string;
  log: string[];
}

function signupPipeline(): Pipeline<SignupContext> {
  const signup = new Pipeline<SignupContext>('signup', ['validate', 'create_user', 'bill', 'welcome']);
  signup.onStep('validate', (ctx) => {
    ctx.log.push('validate');
    if (!ctx.email.includes('@')) return Stop;
  });
  signup.onStep('create_user', async (ctx) => {
    ctx.log.push('create_user');
    ctx.userId = `user:${ctx.email}`;
  });
  signup.onStep('bill', (ctx) => {
    ctx.log.push('bill');
    ctx.invoiceId = `invoice:${ctx.userId}`;
  });
  signup.skipIf('bill', (ctx) => ctx.plan === 'free', 'free plan');
  signup.onStep('welcome', (ctx) => {
    ctx.log.push('welcome');
  });
  return signup;
}

describe('@orka/core CommonJS build', () => {
  it('runs a pipeline to completion, with one record per step in order', async () => {
    const result = await signupPipeline().run({ email: 'ada@example.com', plan: 'free', log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.pipeline).toBe('signup');
    expect(typeof result.runId).toBe('string');
    expect(result.context.log).toEqual(['validate', 'create_user', 'welcome']);
    expect(result.context.userId).toBe('user:ada@example.com');
    expect(result.context.invoiceId).toBeUndefined();
    expect(result.steps.map(({ step, status }) => ({ step, status }))).toEqual([
      { step: 'validate', status: 'completed' },
      { step: 'create_user', status: 'completed' },
      { step: 'bill', status: 'skipped' },
      { step: 'welcome', status: 'completed' },
    ]);
    expect(result.steps[2]).toMatchObject({ reason: 'free plan' });
  });

  it('stops on Stop, leaving no record for the steps never reached', async () => {
    const result = await signupPipeline().run({ email: 'not-an-email', plan: 'paid', log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['validate']);
    expect(result.steps.map(({ step, status }) => ({ step, status }))).toEqual([
      { step: 'validate', status: 'stopped' },
    ]);
  });

  it('rejects with the very error a handler threw, and runFailure() names the step', async () => {
    const boom = new Error('billing is down');
    const signup = signupPipeline();
    signup.onStep('bill', () => {
      throw boom;
    });

    const error: unknown = await signup.run({ email: 'ada@example.com', plan: 'paid', log: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBe(boom);
    expect(runFailure(error)).toMatchObject({ pipeline: 'signup', step: 'bill' });
  });

  it('raises its own errors as OrkaError subclasses with a stable code', () => {
    const signup = signupPipeline();
    let error: unknown;
    try {
      signup.onStep('no_such_step', () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StepNotFoundError);
    expect(error).toBeInstanceOf(OrkaError);
    expect((error as StepNotFoundError).code).toBe('STEP_NOT_FOUND');
  });
});
