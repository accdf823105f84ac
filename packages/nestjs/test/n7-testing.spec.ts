import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Test, TestingModuleBuilder, type TestingModule } from '@nestjs/testing';
import { OrkaConfigurationError, PipelineRunner, type OrkaEvent, type StepRun } from '../src/index.js';
import { TraceCollector, collectTrace, createOrkaTestingModule, overrideStep } from '../src/testing/index.js';
import {
  CheckoutModule,
  CheckoutPipeline,
  FreeCheckoutPipeline,
  PriceService,
  ReceiptPipeline,
  type CheckoutContext,
} from './fixtures/n7-testing.js';

const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((m) => m.close()));
});

const checkoutBuilder = () => Test.createTestingModule({ imports: [CheckoutModule] });

async function start(builder: TestingModuleBuilder): Promise<TestingModule> {
  const moduleRef = await builder.compile();
  moduleRef.useLogger(false);
  opened.push(moduleRef);
  await moduleRef.init();
  return moduleRef;
}

const order = (plan: CheckoutContext['plan'], extra: Partial<CheckoutContext> = {}): CheckoutContext => ({
  sku: 'tea',
  plan,
  log: [],
  ...extra,
});

describe('N7 overriding providers', () => {
  it('N7 without overrides the real service and pipeline run', async () => {
    const moduleRef = await start(checkoutBuilder());
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('gold'));
    expect(result.context.log).toEqual([
      'price 30',
      'before perks',
      'test gold',
      'gold perks',
      'after perks',
      'confirm',
      'confirm again',
      'email receipt',
      'sent',
    ]);
  });

  it('N7 overrideProvider(Service) replaces the service a step uses', async () => {
    const fake = { price: jest.fn((_sku: string) => 7) };
    const moduleRef = await start(checkoutBuilder().overrideProvider(PriceService).useValue(fake));
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('bronze'));
    expect(result.context.total).toBe(7);
    expect(fake.price).toHaveBeenCalledWith('tea');
  });

  it('N7 overriding the pipeline class replaces the whole pipeline', async () => {
    const moduleRef = await start(
      checkoutBuilder().overrideProvider(CheckoutPipeline).useClass(FreeCheckoutPipeline),
    );
    const runner = moduleRef.get(PipelineRunner);
    const result = await runner.run(CheckoutPipeline, order('silver'));
    expect(result.context.total).toBe(0);
    expect(result.context.log.slice(0, 5)).toEqual([
      'free',
      'before perks',
      'test gold',
      'test silver',
      'silver perks',
    ]);
    const byName = await runner.run('checkout', order('bronze'));
    expect((byName.context as CheckoutContext).log[0]).toBe('free');
  });
});

describe('N7 overrideStep', () => {
  it('N7 overrideStep returns the same builder', () => {
    const builder = checkoutBuilder();
    expect(overrideStep(builder, CheckoutPipeline, 'confirm', () => undefined)).toBe(builder);
  });

  it('N7 overrideStep replaces every branch of a conditional step; @Before/@After still run', async () => {
    const calls: { step: string; pipeline: string }[] = [];
    const builder = overrideStep(
      checkoutBuilder(),
      CheckoutPipeline,
      'perks',
      (ctx: CheckoutContext, run: StepRun) => {
        calls.push({ step: run.step, pipeline: run.pipeline });
        ctx.log.push('overridden perks');
      },
    );
    const moduleRef = await start(builder);
    const events: OrkaEvent[] = [];
    const runner = moduleRef.get(PipelineRunner);
    for (const plan of ['gold', 'silver', 'bronze'] as const) {
      const result = await runner.run(CheckoutPipeline, order(plan), { observer: (e) => events.push(e) });
      expect(result.context.log.slice(1, 4)).toEqual(['before perks', 'overridden perks', 'after perks']);
      expect(result.context.log.join()).not.toMatch(/test|gold perks|silver perks|no perks/);
      expect(result.steps.find((s) => s.step === 'perks')!.branch).toBeUndefined();
    }
    expect(calls).toEqual([
      { step: 'perks', pipeline: 'checkout' },
      { step: 'perks', pipeline: 'checkout' },
      { step: 'perks', pipeline: 'checkout' },
    ]);
    expect(events.some((e) => e.pipeline === 'checkout' && e.type.startsWith('branch.'))).toBe(false);
  });

  it('N7 overrideStep replaces every plain handler of the step with the one given', async () => {
    const moduleRef = await start(
      overrideStep(checkoutBuilder(), CheckoutPipeline, 'confirm', (ctx: CheckoutContext) => {
        ctx.log.push('fake confirm');
      }),
    );
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('gold'));
    expect(result.context.log).toContain('fake confirm');
    expect(result.context.log).not.toContain('confirm');
    expect(result.context.log).not.toContain('confirm again');
    expect(result.context.log.at(-1)).toBe('sent');
  });

  it('N7 overrideStep accepts the pipeline name, chains with overrideProvider and with itself', async () => {
    const builder = checkoutBuilder();
    const chained = overrideStep(
      overrideStep(builder, 'checkout', 'confirm', (ctx: CheckoutContext) => {
        ctx.log.push('named confirm');
      }),
      ReceiptPipeline,
      'send',
      (ctx: { lines: string[] }) => {
        ctx.lines.push('not sent');
      },
    );
    expect(chained).toBe(builder);
    chained.overrideProvider(PriceService).useValue({ price: () => 1 });
    const moduleRef = await start(chained);
    const result = await moduleRef
      .get(PipelineRunner)
      .run(CheckoutPipeline, order('bronze', { paper: true }));
    expect(result.context.total).toBe(1);
    expect(result.context.log).toContain('named confirm');
    expect(result.context.log).not.toContain('confirm');
    expect(result.context.log.slice(-2)).toEqual(['paper receipt', 'not sent']);
  });

  it('N7 overrideStep applies to a pipeline whose class is overridden too', async () => {
    const builder = checkoutBuilder().overrideProvider(CheckoutPipeline).useClass(FreeCheckoutPipeline);
    const moduleRef = await start(
      overrideStep(builder, CheckoutPipeline, 'confirm', (ctx: CheckoutContext) => {
        ctx.log.push('fake confirm');
      }),
    );
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('bronze'));
    expect(result.context.log[0]).toBe('free');
    expect(result.context.log).toContain('fake confirm');
    expect(result.context.log).not.toContain('confirm again');
  });

  it('N7 overrideStep of an unknown step makes init fail with a clear problem', async () => {
    const builder = overrideStep(checkoutBuilder(), CheckoutPipeline, 'no_such_step', () => undefined);
    const broken = await builder.compile();
    broken.useLogger(false);
    opened.push(broken);
    const err = await broken.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrkaConfigurationError);
    const problems = (err as OrkaConfigurationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('no_such_step');
    expect(problems[0]).toContain('CheckoutPipeline');
    // It lists the steps that do exist.
    for (const step of ['price', 'perks', 'confirm', 'receipt']) expect(problems[0]).toContain(step);
  });

  it('N7 overrideStep of a pipeline the module does not provide makes init fail', async () => {
    const builder = overrideStep(
      Test.createTestingModule({ imports: [CheckoutModule] }),
      'no_such_pipeline',
      'price',
      () => undefined,
    );
    const broken = await builder.compile();
    broken.useLogger(false);
    opened.push(broken);
    const err = await broken.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect((err as OrkaConfigurationError).problems.join('\n')).toContain('no_such_pipeline');
  });
});

describe('N7 collectTrace', () => {
  it('N7 collectTrace(app) sees the steps and branches of every run, sub-runs included, until stop()', async () => {
    const moduleRef = await checkoutBuilder().compile();
    const app = moduleRef.createNestApplication({ logger: false });
    opened.push(app);
    await app.init();
    const runner = app.get(PipelineRunner);
    const trace = collectTrace(app);
    expect(trace).toBeInstanceOf(TraceCollector);

    const gold = await runner.run(CheckoutPipeline, order('gold', { paper: true }));
    const silver = await runner.run(CheckoutPipeline, order('silver'));

    const steps = ['price', 'perks', 'confirm', 'receipt'];
    expect(trace.stepsCompleted(gold.runId)).toEqual(steps);
    expect(trace.stepsCompleted(silver.runId)).toEqual(steps);
    expect(trace.stepsCompleted(gold.context.receiptRunId)).toEqual(['format', 'send']);
    expect(trace.branches(gold.runId)).toEqual([{ step: 'perks', branch: 0 }]);
    expect(trace.branches(silver.runId)).toEqual([{ step: 'perks', branch: 1 }]);
    expect(trace.branches(gold.context.receiptRunId)).toEqual([{ step: 'format', branch: 0 }]);
    expect(trace.branches(silver.context.receiptRunId)).toEqual([{ step: 'format', branch: 'otherwise' }]);
    expect(trace.branches()).toEqual([
      { step: 'perks', branch: 0 },
      { step: 'format', branch: 0 },
      { step: 'perks', branch: 1 },
      { step: 'format', branch: 'otherwise' },
    ]);
    expect(trace.stepsCompleted()).toHaveLength(12);
    const sub = trace.events.filter((e) => e.runId === gold.context.receiptRunId);
    expect(sub.every((e) => e.parentRunId === gold.runId)).toBe(true);

    trace.stop();
    const count = trace.events.length;
    await runner.run(CheckoutPipeline, order('bronze'));
    expect(trace.events).toHaveLength(count);
  });

  it('N7 collectTrace works on a testing module, and a stopped collector does not affect another one', async () => {
    const moduleRef = await start(checkoutBuilder());
    const runner = moduleRef.get(PipelineRunner);
    const first = collectTrace(moduleRef);
    const second = collectTrace(moduleRef);
    await runner.run(CheckoutPipeline, order('bronze'));
    first.stop();
    const last = await runner.run(CheckoutPipeline, order('gold'));
    expect(first.stepsCompleted(last.runId)).toEqual([]);
    expect(second.stepsCompleted(last.runId)).toEqual(['price', 'perks', 'confirm', 'receipt']);
    expect(second.branches()).toEqual([
      { step: 'perks', branch: 'otherwise' },
      { step: 'format', branch: 'otherwise' },
      { step: 'perks', branch: 0 },
      { step: 'format', branch: 'otherwise' },
    ]);
    second.stop();
  });

  it('N7 collectTrace keeps recording when a per-run observer throws', async () => {
    const moduleRef = await start(checkoutBuilder());
    const runner = moduleRef.get(PipelineRunner);
    const trace = collectTrace(moduleRef);
    const result = await runner.run(CheckoutPipeline, order('gold'), {
      observer: () => {
        throw new Error('a careless observer');
      },
    });
    expect(trace.stepsCompleted(result.runId)).toEqual(['price', 'perks', 'confirm', 'receipt']);
    trace.stop();
  });
});

describe('N7 createOrkaTestingModule', () => {
  it('N7 createOrkaTestingModule imports OrkaModule beside the metadata and returns a builder', async () => {
    const builder = createOrkaTestingModule({ providers: [CheckoutPipeline, ReceiptPipeline, PriceService] });
    expect(builder).toBeInstanceOf(TestingModuleBuilder);
    const moduleRef = await start(builder.overrideProvider(PriceService).useValue({ price: () => 5 }));
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('gold'));
    expect(result.context.total).toBe(5);
    expect(result.outcome).toBe('completed');
  });

  it('N7 createOrkaTestingModule passes its options to OrkaModule.forRoot', async () => {
    const events: OrkaEvent[] = [];
    const builder = createOrkaTestingModule(
      { providers: [CheckoutPipeline, ReceiptPipeline, PriceService] },
      { logger: false, observers: [(e) => events.push(e)] },
    );
    const moduleRef = await start(builder);
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('silver'));
    expect(events.filter((e) => e.runId === result.runId).at(-1)).toMatchObject({
      type: 'run.finished',
      outcome: 'completed',
    });
  });

  it('N7 createOrkaTestingModule works with overrideStep', async () => {
    const moduleRef = await start(
      overrideStep(
        createOrkaTestingModule({ providers: [CheckoutPipeline, ReceiptPipeline, PriceService] }),
        CheckoutPipeline,
        'price',
        (ctx: CheckoutContext) => {
          ctx.total = 99;
        },
      ),
    );
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, order('gold'));
    expect(result.context.total).toBe(99);
  });
});
