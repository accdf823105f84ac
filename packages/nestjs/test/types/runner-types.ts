// Type-level tests of PipelineRunner and the decorators (N3, N7, N8). Compiled by `tsc --noEmit`,
// never run: every `@ts-expect-error` asserts that the next line does not compile, and every
// `expectType` that a type is exactly what it should be.
import type { HttpException } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import {
  OnFinish,
  OrkaContext,
  Pipeline,
  PipelineRunner,
  Step,
  type OrkaEvent,
  type PipelineContextOf,
  type PipelineDescription,
  type PlannedStep,
  type RunOutcome,
  type RunResult,
  type StepRun,
} from '../../src/index.js';
import { collectTrace, overrideStep, type TraceCollector } from '../../src/testing/index.js';
import { OnboardingContext, OnboardingPipeline } from '../fixtures/onboarding.js';
import { FailingPipeline, OrderContext, OrderPipeline, type FailingContext } from '../fixtures/n3-runner.js';
import { ProvisionContext, ProvisionPipeline } from '../fixtures/n8-sub-pipelines.js';
import { WhenWithoutStepPipeline } from '../fixtures/n1-discovery.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when `Check` is `true`. */
function expectType<Check extends true>(): void {}

declare const runner: PipelineRunner;
declare const body: unknown;

// ---- N3 run: typed by the class's context, no cast, no type argument ----

async function runByClass() {
  const result = await runner.run(OnboardingPipeline, body);
  expectType<Equal<typeof result, RunResult<OnboardingContext>>>();
  expectType<Equal<typeof result.context, OnboardingContext>>();

  // The contract's controller, as written.
  const { context } = await runner.run(OnboardingPipeline, body);
  const userId: string | undefined = context.userId;
  const plan: 'basic' | 'premium' = context.planType;

  // @ts-expect-error the context class has no such property
  result.context.nickname;
  // @ts-expect-error email is a string
  const n: number = result.context.email;
  // @ts-expect-error planType is 'basic' | 'premium'
  if (result.context.planType === 'gold') return;
  // @ts-expect-error a result is not its context
  const ctx: OnboardingContext = result;

  return { userId, plan, n, ctx };
}

async function runOtherClasses() {
  const order = await runner.run(OrderPipeline, { sku: 'a', quantity: 1 });
  expectType<Equal<typeof order.context, OrderContext>>();

  // A class whose first step takes no parameter: the context comes from the methods that take one.
  const failing = await runner.run(FailingPipeline, {});
  expectType<Equal<typeof failing.context, FailingContext>>();

  // No method takes a parameter: nothing to infer from.
  const unknownCtx = await runner.run(WhenWithoutStepPipeline, {});
  expectType<Equal<typeof unknownCtx.context, unknown>>();

  expectType<Equal<PipelineContextOf<OnboardingPipeline>, OnboardingContext>>();
  expectType<Equal<PipelineContextOf<ProvisionPipeline>, ProvisionContext>>();
}

/** A pipeline whose methods include an @OnFinish (ctx, outcome): still typed by its context. */
class InlineContext {
  value!: number;
}

@Pipeline({ name: 'inline', context: InlineContext })
class InlinePipeline {
  @Step('double')
  double(ctx: InlineContext, _run: StepRun) {
    ctx.value *= 2;
  }

  @OnFinish()
  finished(_ctx: InlineContext, _outcome: RunOutcome) {}
}

async function runInline() {
  const result = await runner.run(InlinePipeline, { value: 1 });
  expectType<Equal<typeof result.context, InlineContext>>();
  const value: number = result.context.value;
  return value;
}

async function runByName() {
  const result = await runner.run('onboarding', body);
  expectType<Equal<typeof result, RunResult<unknown>>>();
  // @ts-expect-error by name the context is unknown
  result.context.email;
  return result.runId;
}

async function runOptions(signal: AbortSignal) {
  await runner.run(OnboardingPipeline, body, {
    signal,
    runId: 'r-1',
    deadlineMs: 1000,
    observer: (event: OrkaEvent) => void event.type,
  });
  // @ts-expect-error unknown option
  await runner.run(OnboardingPipeline, body, { bogus: true });
  // @ts-expect-error deadlineMs is a number
  await runner.run(OnboardingPipeline, body, { deadlineMs: 'soon' });
  // @ts-expect-error the input is required
  await runner.run(OnboardingPipeline);
  // @ts-expect-error a pipeline is a class or a name
  await runner.run(42, body);
  // @ts-expect-error a pipeline is a class or a name
  await runner.run({ name: 'onboarding' }, body);
}

// ---- N3 run$, plan, describe, toMermaid, pipelines ----

async function otherMembers() {
  const events$ = runner.run$(OnboardingPipeline, body, { runId: 'r-2' });
  expectType<Equal<typeof events$, Observable<OrkaEvent>>>();
  const byName$ = runner.run$('onboarding', body);
  expectType<Equal<typeof byName$, Observable<OrkaEvent>>>();

  const planned = runner.plan(OnboardingPipeline, body);
  expectType<Equal<typeof planned, Promise<PlannedStep[]>>>();
  // @ts-expect-error plan returns a Promise
  const steps: PlannedStep[] = runner.plan('onboarding', body);

  const description: PipelineDescription = runner.describe(OnboardingPipeline);
  const byName: PipelineDescription = runner.describe('onboarding');
  const chart: string = runner.toMermaid(OnboardingPipeline);
  const names: string[] = runner.pipelines();
  // @ts-expect-error describe is synchronous
  await runner.describe('onboarding').then(() => undefined);

  // A mapped error is an HttpException, with no cast (SSE code ends its stream with its body).
  const http = runner.toHttpException(new Error('x'));
  expectType<Equal<typeof http, HttpException>>();
  const cancellable$ = runner.run$(OnboardingPipeline, body, { cancelOnUnsubscribe: true });
  expectType<Equal<typeof cancellable$, Observable<OrkaEvent>>>();

  return { steps, description, byName, chart, names, planned: await planned };
}

// ---- N5 OrkaContext types its request with a type argument ----

function typedRequest(orka: OrkaContext<{ ip: string }>, plain: OrkaContext) {
  expectType<Equal<typeof orka.request, { ip: string } | undefined>>();
  expectType<Equal<typeof plain.request, unknown>>();
  return orka.request?.ip;
}

// ---- N8 run.subPipeline(Class, input) in a handler ----

async function subRun(run: StepRun) {
  const sub = await run.subPipeline(ProvisionPipeline, { accountId: 'a' });
  expectType<Equal<typeof sub, RunResult<ProvisionContext>>>();
  const status: string | undefined = sub.context.status;
  // @ts-expect-error the sub-pipeline's context has no such property
  sub.context.planType;
  return status;
}

// ---- N7 testing helpers ----

function testingHelpers(builder: TestingModuleBuilder) {
  const same: TestingModuleBuilder = overrideStep(
    builder,
    OnboardingPipeline,
    'send_welcome_email',
    (ctx: OnboardingContext, run: StepRun) => {
      ctx.welcomeEmailSent = run.attempt > 0;
    },
  );
  overrideStep(same, 'onboarding', 'validate_input', () => undefined);
  // @ts-expect-error the pipeline is a class or a name
  overrideStep(builder, 42, 'validate_input', () => undefined);
  // @ts-expect-error the step is a name
  overrideStep(builder, OnboardingPipeline, 1, () => undefined);

  const trace: TraceCollector = collectTrace(Test.createTestingModule({}) as never);
  const completed: string[] = trace.stepsCompleted();
  return { same, completed };
}

// ---- Decorator options ----

class DecoratorCases {
  // @ts-expect-error a step needs a name
  @Step()
  noName() {}

  // @ts-expect-error onNoMatch is 'continue' | 'stop' | 'fail'
  @Step('a', { onNoMatch: 'explode' })
  badNoMatch() {}

  // @ts-expect-error backoff is 'fixed' | 'exponential'
  @Step('b', { retry: { attempts: 2, backoff: 'linear' } })
  badBackoff() {}

  // @ts-expect-error after is a list of step names
  @Step('c', { after: 'a' })
  badAfter() {}

  @Step('d', {
    onNoMatch: 'stop',
    retry: { attempts: 3, backoff: 'exponential', delayMs: 5 },
    timeoutMs: 10,
    after: ['a'],
  })
  allOptions() {}
}

// @ts-expect-error unknown @Pipeline option
@Pipeline({ nam: 'typo' })
class TypoPipeline {}

export {
  runByClass,
  runOtherClasses,
  runInline,
  runByName,
  runOptions,
  otherMembers,
  typedRequest,
  subRun,
  testingHelpers,
  DecoratorCases,
  TypoPipeline,
};
