import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  NoBranchMatchedError,
  OrkaModule,
  Pipeline,
  PipelineRunner,
  Step,
  StepTimeoutError,
  runFailure,
  type OrkaEvent,
  type StepRun,
} from '../src/index.js';
import {
  BranchesPipeline,
  CompensatePipeline,
  FinishPipeline,
  MixedPipeline,
  NoMatchContinuePipeline,
  NoMatchDefaultPipeline,
  NoMatchFailPipeline,
  NoMatchStopPipeline,
  OptionsPipeline,
  PhasesPipeline,
  PlainHandlersPipeline,
  SkipPipeline,
  TimeoutPipeline,
  type BranchContext,
  type CompensateContext,
  type FinishContext,
  type OptionsContext,
} from './fixtures/n2-steps-and-branches.js';

let moduleRef: TestingModule;
let runner: PipelineRunner;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [OrkaModule.forRoot({ logger: false })],
    providers: [
      PlainHandlersPipeline,
      BranchesPipeline,
      NoMatchDefaultPipeline,
      NoMatchContinuePipeline,
      NoMatchStopPipeline,
      NoMatchFailPipeline,
      OptionsPipeline,
      TimeoutPipeline,
      PhasesPipeline,
      SkipPipeline,
      CompensatePipeline,
      FinishPipeline,
      MixedPipeline,
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  runner = moduleRef.get(PipelineRunner);
});

afterAll(() => moduleRef.close());

const branchInput = (...matches: number[]): BranchContext => ({ log: [], matches });
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('N2 steps and branches', () => {
  it('N2 several plain handlers of one step run one at a time in declaration order', async () => {
    const result = await runner.run(PlainHandlersPipeline, { log: [] });
    expect(result.context.log).toEqual(['collect.first', 'collect.second', 'collect.third', 'other']);
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['collect', 'completed'],
      ['other', 'completed'],
    ]);
  });

  it('N2 the first matching @When in declaration order wins; later predicates are not evaluated', async () => {
    const result = await runner.run(BranchesPipeline, branchInput(1, 2));
    expect(result.context.log).toEqual(['test 0', 'test 1', 'branch 1', 'next']);
    expect(result.steps[0]).toMatchObject({ step: 'route', status: 'completed', branch: 1 });
  });

  it('N2 the branch index in the record is 0-based', async () => {
    const result = await runner.run(BranchesPipeline, branchInput(0, 1, 2));
    expect(result.context.log).toEqual(['test 0', 'branch 0', 'next']);
    expect(result.steps[0]!.branch).toBe(0);
  });

  it('N2 predicates may be async: an async false moves on, an async true matches', async () => {
    const lastBranch = await runner.run(BranchesPipeline, branchInput(2));
    expect(lastBranch.context.log).toEqual(['test 0', 'test 1', 'test 2', 'branch 2', 'next']);
    expect(lastBranch.steps[0]!.branch).toBe(2);

    const asyncBranch = await runner.run(BranchesPipeline, branchInput(1));
    expect(asyncBranch.context.log).toEqual(['test 0', 'test 1', 'branch 1', 'next']);
    expect(asyncBranch.steps[0]!.branch).toBe(1);
  });

  it("N2 @Otherwise is taken when no @When matches, recorded as 'otherwise'", async () => {
    const result = await runner.run(BranchesPipeline, branchInput());
    expect(result.context.log).toEqual(['test 0', 'test 1', 'test 2', 'otherwise', 'next']);
    expect(result.steps[0]).toMatchObject({ step: 'route', status: 'completed', branch: 'otherwise' });
  });

  it('N2 the branch taken shows in the events too', async () => {
    const events: OrkaEvent[] = [];
    await runner.run(BranchesPipeline, branchInput(2), { observer: (e) => events.push(e) });
    const route = events.filter((e) => e.step === 'route').map((e) => e.type);
    expect(route).toEqual(['step.started', 'branch.matched', 'step.completed']);
    expect(events.find((e) => e.type === 'branch.matched')).toMatchObject({ step: 'route', branch: 2 });
  });

  it('N2 a method without @When/@Otherwise is a plain handler of the step, beside its branches', async () => {
    const matched = await runner.run(MixedPipeline, branchInput(0));
    expect([...matched.context.log].sort()).toEqual(['branch 0', 'plain', 'test 0']);
    expect(matched.steps[0]).toMatchObject({ step: 'mix', status: 'completed', branch: 0 });

    const fallback = await runner.run(MixedPipeline, branchInput());
    expect([...fallback.context.log].sort()).toEqual(['otherwise', 'plain', 'test 0']);
    expect(fallback.steps[0]!.branch).toBe('otherwise');
  });

  it('N2 with no @Otherwise and no onNoMatch, no match continues', async () => {
    const result = await runner.run(NoMatchDefaultPipeline, branchInput());
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['test 0', 'later']);
    expect(result.steps.map((s) => s.step)).toEqual(['route', 'later']);
    expect(result.steps[0]!.status).toBe('completed');
    expect(result.steps[0]!.branch).toBeUndefined();
  });

  it("N2 onNoMatch: 'continue' continues", async () => {
    const result = await runner.run(NoMatchContinuePipeline, branchInput());
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['test 0', 'later']);
  });

  it("N2 onNoMatch: 'stop' (given on the second branch) stops the run", async () => {
    const result = await runner.run(NoMatchStopPipeline, branchInput());
    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['test 0', 'test 1', 'finished stopped']);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({ step: 'route', status: 'stopped' });
  });

  it("N2 onNoMatch: 'stop' does not stop when a branch matches", async () => {
    const result = await runner.run(NoMatchStopPipeline, branchInput(1));
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['test 0', 'test 1', 'branch 1', 'later', 'finished completed']);
  });

  it("N2 onNoMatch: 'fail' rejects with NoBranchMatchedError naming the step", async () => {
    const input = branchInput();
    const err = await caught(runner.run(NoMatchFailPipeline, input));
    expect(err).toBeInstanceOf(NoBranchMatchedError);
    expect(err).toMatchObject({ step: 'route', pipeline: 'n2_no_match_fail' });
    expect((err as Error).message).toContain('route');
    expect(input.log).toEqual(['test 0', 'test 1']);
  });

  it('N2 retry given on the second method of a step applies to the step', async () => {
    const input: OptionsContext = { log: [], cStarted: Promise.resolve(), markCStarted: () => undefined };
    const result = await runner.run(OptionsPipeline, input);
    const flaky = result.steps.find((s) => s.step === 'flaky')!;
    expect(flaky).toMatchObject({ status: 'completed', attempts: 3 });
    expect(result.context.log.filter((l) => l.startsWith('attempt#'))).toEqual([
      'attempt#1',
      'attempt#2',
      'attempt#3',
    ]);
    expect(runner.describe(OptionsPipeline).steps.find((s) => s.name === 'flaky')!.retry).toMatchObject({
      attempts: 3,
    });
  });

  it('N2 after given on the last method of a step applies: the step waits only for what it names', async () => {
    let markCStarted!: () => void;
    const cStarted = new Promise<void>((resolve) => (markCStarted = resolve));
    const result = await runner.run(OptionsPipeline, { log: [], cStarted, markCStarted });
    expect(result.outcome).toBe('completed');
    const log = result.context.log;
    // b could only finish because c started while b was waiting.
    expect(log.indexOf('c.1')).toBeLessThan(log.indexOf('b'));
    expect(log.filter((l) => l.startsWith('c.'))).toEqual(['c.1', 'c.2', 'c.3']);
    expect(runner.describe(OptionsPipeline).steps.find((s) => s.name === 'c')!.after).toEqual(['a']);
  });

  it('N2 timeoutMs given on the @Otherwise method applies to the step', async () => {
    const input = { log: [] as string[], fast: false };
    const err = await caught(runner.run(TimeoutPipeline, input));
    expect(err).toBeInstanceOf(StepTimeoutError);
    expect(err).toMatchObject({ step: 'slow', budgetMs: 5 });
    expect(input.log).toEqual(['slowly']);
    expect(runner.describe(TimeoutPipeline).steps[0]!.timeoutMs).toBe(5);

    const fast = await runner.run(TimeoutPipeline, { log: [], fast: true });
    expect(fast.context.log).toEqual(['quick', 'after_slow']);
  });

  it('N2 @Before and @After run around the step, whatever their declaration order', async () => {
    const result = await runner.run(PhasesPipeline, { log: [] });
    expect(result.context.log).toEqual(['before', 'on', 'after', 'done']);
    expect(result.steps.map((s) => s.step)).toEqual(['work', 'done']);
  });

  it('N2 @SkipIf skips the step and all its phases; the record gives the label', async () => {
    const skipped = await runner.run(SkipPipeline, { log: [], skip: true });
    expect(skipped.context.log).toEqual(['last']);
    expect(skipped.steps[0]).toMatchObject({ step: 'maybe', status: 'skipped', reason: 'told to skip' });

    const ran = await runner.run(SkipPipeline, { log: [], skip: false });
    expect(ran.context.log).toEqual(['before maybe', 'maybe', 'after maybe', 'last']);
    expect(ran.steps[0]).toMatchObject({ step: 'maybe', status: 'completed' });
  });

  it('N2 @Compensate methods run on failure, in reverse order, and the run rejects with the original error', async () => {
    const boom = new Error('shipping failed');
    const input: CompensateContext = { log: [], shipError: boom, outcomes: [] };
    const err = await caught(runner.run(CompensatePipeline, input));
    expect(err).toBe(boom);
    expect(input.log).toEqual(['reserve', 'charge', 'undo charge', 'undo reserve', 'finish']);
    expect(runFailure(err)!.steps.map((s) => [s.step, s.status])).toEqual([
      ['reserve', 'compensated'],
      ['charge', 'compensated'],
      ['ship', 'failed'],
    ]);
    expect(input.outcomes[0]).toMatchObject({ status: 'failed', error: boom, pipeline: 'n2_compensate' });
  });

  it('N2 @Compensate methods do not run when the run succeeds', async () => {
    const result = await runner.run(CompensatePipeline, { log: [], outcomes: [] });
    expect(result.context.log).toEqual(['reserve', 'charge', 'ship', 'finish']);
  });

  it('N2 every @OnFinish method receives the outcome of a completed run', async () => {
    const result = await runner.run(FinishPipeline, {
      log: [],
      mode: 'complete',
      error: new Error('unused'),
      outcomes: [],
    });
    expect(result.context.log).toEqual(['work', 'tail', 'first finisher', 'second finisher']);
    expect(result.context.outcomes).toEqual([
      expect.objectContaining({ status: 'completed', runId: result.runId, pipeline: 'n2_finish' }),
    ]);
  });

  it('N2 @OnFinish receives the outcome of a stopped run', async () => {
    const result = await runner.run(FinishPipeline, {
      log: [],
      mode: 'stop',
      error: new Error('unused'),
      outcomes: [],
    });
    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['work', 'first finisher', 'second finisher']);
    expect(result.context.outcomes[0]).toMatchObject({ status: 'stopped', runId: result.runId });
  });

  it('N2 @OnFinish receives the outcome of a failed run, with its error', async () => {
    const error = new Error('work failed');
    const input: FinishContext = { log: [], mode: 'fail', error, outcomes: [] };
    await expect(runner.run(FinishPipeline, input)).rejects.toBe(error);
    expect(input.log).toEqual(['work', 'first finisher', 'second finisher']);
    expect(input.outcomes[0]).toMatchObject({ status: 'failed', error, pipeline: 'n2_finish' });
  });
});

describe('N2 R6 @Step continueOnError', () => {
  interface NotifyContext {
    log: string[];
  }

  @Pipeline({ name: 'n2_notify' })
  class NotifyPipeline {
    @Step('charge')
    charge(ctx: NotifyContext) {
      ctx.log.push('charge');
    }

    @Step('mail', { continueOnError: true, retry: { attempts: 2, delayMs: 0 } })
    mail(ctx: NotifyContext, run: StepRun) {
      ctx.log.push(`mail#${run.attempt}`);
      throw new Error('smtp down');
    }

    @Step('ship')
    ship(ctx: NotifyContext) {
      ctx.log.push('ship');
    }
  }

  it('N2 R6 a step with continueOnError fails after its last attempt, its record says failed, and the run goes on', async () => {
    const app = await Test.createTestingModule({
      imports: [OrkaModule.forRoot({ logger: false })],
      providers: [NotifyPipeline],
    }).compile();
    await app.init();
    const events: OrkaEvent[] = [];
    const result = await app
      .get(PipelineRunner)
      .run(NotifyPipeline, { log: [] }, { observer: (e) => events.push(e) });
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['charge', 'mail#1', 'mail#2', 'ship']);
    expect(result.steps.find((s) => s.step === 'mail')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(events.find((e) => e.type === 'step.failed')).toMatchObject({ step: 'mail', continued: true });
    expect(app.get(PipelineRunner).describe(NotifyPipeline).steps[1]).toMatchObject({
      continueOnError: true,
    });
    await app.close();
  });
});
