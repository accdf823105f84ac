import { afterEach, describe, expect, it } from '@jest/globals';
import type { ModuleMetadata, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { OrkaConfigurationError, OrkaModule, PipelineNotFoundError, PipelineRunner } from '../src/index.js';
import {
  AfterCyclePipeline,
  CompensateUnknownPipeline,
  DeepFlowPipeline,
  FakeGreetingPipeline,
  FeatureFlowPipeline,
  FeatureModule,
  Greeter,
  GreetingPipeline,
  ManyProblemsPipeline,
  OptionsTwicePipeline,
  OrderedPipeline,
  OtherwiseWithoutWhenPipeline,
  RootFlowPipeline,
  StandaloneGreetingFake,
  TwinOnePipeline,
  TwinTwoPipeline,
  UnknownAfterPipeline,
  WhenWithoutStepPipeline,
  type GreetingContext,
  type SeenContext,
} from './fixtures/n1-discovery.js';

const opened: TestingModule[] = [];

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((m) => m.close()));
});

function builderFor(metadata: ModuleMetadata) {
  return Test.createTestingModule({
    ...metadata,
    imports: [OrkaModule.forRoot({ logger: false }), ...(metadata.imports ?? [])],
  });
}

async function compiled(builder: ReturnType<typeof builderFor>): Promise<TestingModule> {
  const moduleRef = await builder.compile();
  moduleRef.useLogger(false);
  opened.push(moduleRef);
  return moduleRef;
}

async function started(metadata: ModuleMetadata): Promise<TestingModule> {
  const moduleRef = await compiled(builderFor(metadata));
  await moduleRef.init();
  return moduleRef;
}

/** Compiles a module with the given pipelines (which must succeed), then returns what `init()` rejects with. */
async function initFailure(...pipelines: Type<unknown>[]): Promise<OrkaConfigurationError> {
  const moduleRef = await compiled(builderFor({ providers: pipelines }));
  const outcome = await moduleRef.init().then(
    () => 'resolved',
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(OrkaConfigurationError);
  return outcome as OrkaConfigurationError;
}

const seen = (): SeenContext => ({ seen: [] });

describe('N1 discovery', () => {
  it('N1 finds @Pipeline providers of the root module and of nested feature modules', async () => {
    const moduleRef = await started({ imports: [FeatureModule], providers: [RootFlowPipeline] });
    const runner = moduleRef.get(PipelineRunner);

    expect([...runner.pipelines()].sort()).toEqual(['DeepFlowPipeline', 'feature_flow', 'root_flow']);

    const deep = await runner.run(DeepFlowPipeline, seen());
    expect(deep.pipeline).toBe('DeepFlowPipeline');
    expect(deep.context.seen).toEqual(['DeepFlowPipeline.deep']);
    const feature = await runner.run(FeatureFlowPipeline, seen());
    expect(feature.context.seen).toEqual(['feature_flow.feature']);
    const byName = await runner.run('feature_flow', seen());
    expect((byName.context as SeenContext).seen).toEqual(['feature_flow.feature']);
    const root = await runner.run(RootFlowPipeline, seen());
    expect(root.context.seen).toEqual(['root_flow.only']);
  });

  it('N1 a provider with @Step methods but without @Pipeline is not a pipeline', async () => {
    const moduleRef = await started({ imports: [FeatureModule] });
    const runner = moduleRef.get(PipelineRunner);
    expect(runner.pipelines()).not.toContain('NotAPipeline');
    await expect(runner.run('NotAPipeline', seen())).rejects.toBeInstanceOf(PipelineNotFoundError);
  });

  it('N1 @Pipeline() without a name takes the class name', async () => {
    const moduleRef = await started({ imports: [FeatureModule] });
    const result = await moduleRef.get(PipelineRunner).run('DeepFlowPipeline', seen());
    expect(result.pipeline).toBe('DeepFlowPipeline');
    expect(result.outcome).toBe('completed');
  });

  it('N1 reads methods in declaration order: steps in order of first mention, handlers of a step in order', async () => {
    const moduleRef = await started({ providers: [OrderedPipeline] });
    const runner = moduleRef.get(PipelineRunner);

    expect(runner.describe(OrderedPipeline).steps.map((s) => s.name)).toEqual(['zulu', 'alpha', 'mike']);
    const result = await runner.run(OrderedPipeline, seen());
    expect(result.steps.map((s) => s.step)).toEqual(['zulu', 'alpha', 'mike']);
    expect(result.context.seen).toEqual(['zulu.1', 'zulu.2', 'alpha', 'mike']);
  });

  it('N1 compile() of a broken definition succeeds and moduleRef.init() rejects', async () => {
    const builder = builderFor({ providers: [WhenWithoutStepPipeline] });
    const moduleRef = await compiled(builder);
    await expect(moduleRef.init()).rejects.toBeInstanceOf(OrkaConfigurationError);
  });

  it('N1 app.init() of a broken definition rejects with one OrkaConfigurationError', async () => {
    const moduleRef = await compiled(builderFor({ providers: [WhenWithoutStepPipeline] }));
    const app = moduleRef.createNestApplication({ logger: false });
    const err = await app.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect((err as OrkaConfigurationError).problems).toHaveLength(1);
    await app.close().catch(() => undefined);
  });

  it('N1 a @When without @Step is a problem named Class.method', async () => {
    const err = await initFailure(WhenWithoutStepPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^WhenWithoutStepPipeline\.stray: /);
    expect(err.problems[0]).toContain('@When');
    expect(err.message).toContain('WhenWithoutStepPipeline.stray');
  });

  it('N1 an @Otherwise without @When siblings is a problem named Class.method', async () => {
    const err = await initFailure(OtherwiseWithoutWhenPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^OtherwiseWithoutWhenPipeline\.fallback: /);
    expect(err.problems[0]).toContain('@Otherwise');
  });

  it('N1 a @Compensate for an unknown step is a problem named Class.method', async () => {
    const err = await initFailure(CompensateUnknownPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^CompensateUnknownPipeline\.undoGhost: /);
    expect(err.problems[0]).toContain('ghost_step');
  });

  it('N1 an unknown `after` is a problem named Class.method', async () => {
    const err = await initFailure(UnknownAfterPipeline);
    expect(err.problems).toContainEqual(expect.stringMatching(/^UnknownAfterPipeline\.b: .*phantom/));
    for (const p of err.problems) expect(p).toMatch(/^UnknownAfterPipeline\.b: /);
  });

  it('N1 each problem is listed once (an unknown `after` is one problem, not two)', async () => {
    const err = await initFailure(UnknownAfterPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.message).not.toMatch(/2 problems/);
  });

  it('N1 a cycle of `after` is a problem named Class.method', async () => {
    const err = await initFailure(AfterCyclePipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^AfterCyclePipeline\.step[AB]: /);
    expect(err.problems[0]).toMatch(/cycle/i);
    expect(err.problems[0]).toContain('"a"');
    expect(err.problems[0]).toContain('"b"');
  });

  it('N1 two pipelines with one name is a problem naming both classes', async () => {
    const err = await initFailure(TwinOnePipeline, TwinTwoPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain('TwinOnePipeline');
    expect(err.problems[0]).toContain('TwinTwoPipeline');
    expect(err.problems[0]).toContain('"twin"');
  });

  it('N1 step options on two methods of one step is a problem naming both methods', async () => {
    const err = await initFailure(OptionsTwicePipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^OptionsTwicePipeline\.(firstHalf|secondHalf)\b/);
    expect(err.problems[0]).toContain('OptionsTwicePipeline.firstHalf');
    expect(err.problems[0]).toContain('OptionsTwicePipeline.secondHalf');
  });

  it('N1 several problems of one class come in one error, each named Class.method', async () => {
    const err = await initFailure(ManyProblemsPipeline);
    const byMethod = (method: string) =>
      err.problems.filter((p) => p.startsWith(`ManyProblemsPipeline.${method}: `));
    expect(byMethod('a')).toContainEqual(expect.stringContaining('nowhere'));
    expect(byMethod('strayBranch')).toEqual([expect.stringContaining('@When')]);
    expect(byMethod('undoMissing')).toEqual([expect.stringContaining('missing')]);
    expect(byMethod('lonelyFallback')).toEqual([expect.stringContaining('@Otherwise')]);
    for (const p of err.problems) {
      expect(p).toMatch(/^ManyProblemsPipeline\.(a|strayBranch|undoMissing|lonelyFallback): /);
      expect(err.message).toContain(p);
    }
  });

  it('N1 problems of every pipeline of the application come in one error', async () => {
    const err = await initFailure(
      WhenWithoutStepPipeline,
      OtherwiseWithoutWhenPipeline,
      CompensateUnknownPipeline,
      UnknownAfterPipeline,
      AfterCyclePipeline,
      TwinOnePipeline,
      TwinTwoPipeline,
      OptionsTwicePipeline,
      OrderedPipeline,
    );
    const expected = [
      /^WhenWithoutStepPipeline\.stray: /,
      /^OtherwiseWithoutWhenPipeline\.fallback: /,
      /^CompensateUnknownPipeline\.undoGhost: /,
      /^UnknownAfterPipeline\.b: /,
      /^AfterCyclePipeline\.step[AB]: /,
      /TwinOnePipeline.*TwinTwoPipeline/,
      /OptionsTwicePipeline\.firstHalf.*OptionsTwicePipeline\.secondHalf/,
    ];
    for (const pattern of expected) {
      expect(err.problems.filter((p) => pattern.test(p)).length).toBeGreaterThanOrEqual(1);
    }
    for (const p of err.problems) expect(expected.some((pattern) => pattern.test(p))).toBe(true);
    expect(err.problems.join('\n')).not.toContain('OrderedPipeline');
  });

  describe('N1 an overridden pipeline provider', () => {
    const input = (): GreetingContext => ({ name: 'ada', out: [] });

    it('N1 without an override the original runs', async () => {
      const moduleRef = await started({ providers: [GreetingPipeline, Greeter] });
      const result = await moduleRef.get(PipelineRunner).run(GreetingPipeline, input());
      expect(result.context.out).toEqual(['hello ada', 'signed by the original']);
    });

    it('N1 useClass(Fake) runs the fake, which inherits the steps and DI of the original', async () => {
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter] })
          .overrideProvider(GreetingPipeline)
          .useClass(FakeGreetingPipeline),
      );
      await moduleRef.init();
      const result = await moduleRef.get(PipelineRunner).run(GreetingPipeline, input());
      expect(result.context.out).toEqual(['hello ada', 'signed by the fake']);
      expect(result.steps.map((s) => s.step)).toEqual(['greet', 'sign']);
    });

    it('N1 useValue(new Fake()) runs the fake', async () => {
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter] })
          .overrideProvider(GreetingPipeline)
          .useValue(new StandaloneGreetingFake()),
      );
      await moduleRef.init();
      const result = await moduleRef.get(PipelineRunner).run(GreetingPipeline, input());
      expect(result.context.out).toEqual(['canned greeting']);
      expect(result.steps.map((s) => s.step)).toEqual(['canned']);
    });

    it('N1 useValue(new Fake()) of a subclass keeps the inherited steps', async () => {
      const fake = new FakeGreetingPipeline({ greet: (n: string) => `hi ${n}` } as Greeter);
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter] })
          .overrideProvider(GreetingPipeline)
          .useValue(fake),
      );
      await moduleRef.init();
      const result = await moduleRef.get(PipelineRunner).run(GreetingPipeline, input());
      expect(result.context.out).toEqual(['hi ada', 'signed by the fake']);
    });

    it('N1 useFactory({ factory: () => new Fake() }) runs the fake', async () => {
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter] })
          .overrideProvider(GreetingPipeline)
          .useFactory({ factory: () => new FakeGreetingPipeline(new Greeter()) }),
      );
      await moduleRef.init();
      const result = await moduleRef.get(PipelineRunner).run(GreetingPipeline, input());
      expect(result.context.out).toEqual(['hello ada', 'signed by the fake']);
    });

    it('N1 useFactory with injected dependencies runs the fake', async () => {
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter] })
          .overrideProvider(GreetingPipeline)
          .useFactory({ factory: (g: Greeter) => new FakeGreetingPipeline(g), inject: [Greeter] }),
      );
      await moduleRef.init();
      const result = await moduleRef.get(PipelineRunner).run('greeting', input());
      expect((result.context as GreetingContext).out).toEqual(['hello ada', 'signed by the fake']);
    });

    it('N1 a plain-object useValue is not a pipeline: running the class rejects with PipelineNotFoundError', async () => {
      const moduleRef = await compiled(
        builderFor({ providers: [GreetingPipeline, Greeter, RootFlowPipeline] })
          .overrideProvider(GreetingPipeline)
          .useValue({ greet: () => undefined, sign: () => undefined }),
      );
      await moduleRef.init();
      const runner = moduleRef.get(PipelineRunner);
      const err = await runner.run(GreetingPipeline, input()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PipelineNotFoundError);
      expect((err as Error).message).toContain('root_flow');
      expect(runner.pipelines()).toEqual(['root_flow']);
    });
  });
});
