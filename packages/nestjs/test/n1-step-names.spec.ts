import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  OrkaConfigurationError,
  OrkaContext,
  OrkaModule,
  Otherwise,
  Pipeline,
  PipelineRunner,
  Step,
  When,
} from '../src/index.js';

// N1: a misspelt step name must not silently make a second step. An explicit step list makes any
// other name a bootstrap error; without one, a conditional step named within two edits of another
// step is one. And an application that forgot OrkaModule.forRoot() is told so.

interface Return {
  amount: number;
  log: string[];
}

/** What a misspelt branch looks like: `decid` beside `decide`. */
@Pipeline({ name: 'returns' })
class TypoReturnsPipeline {
  @Step('decide')
  @When((ctx: Return) => ctx.amount < 100)
  autoApprove(ctx: Return) {
    ctx.log.push('auto-approved');
  }

  @Step('decid')
  @When((ctx: Return) => ctx.amount >= 100)
  review(ctx: Return) {
    ctx.log.push('sent to review');
  }

  @Step('decide')
  @Otherwise()
  fallback(ctx: Return) {
    ctx.log.push('auto-approved');
  }
}

@Pipeline({ name: 'returns', steps: ['decide', 'refund'] })
class ListedTypoReturnsPipeline {
  @Step('decide')
  decide() {}

  @Step('refnud')
  refund() {}
}

@Pipeline({ name: 'returns', steps: ['refund', 'decide'] })
class ListedReturnsPipeline {
  @Step('decide')
  decide(ctx: Return) {
    ctx.log.push('decide');
  }

  @Step('refund')
  refund(ctx: Return) {
    ctx.log.push('refund');
  }
}

@Pipeline({ name: 'returns', allowSimilarStepNames: true })
class DeliberatePipeline {
  @Step('route_a')
  @When((ctx: Return) => ctx.amount < 100)
  small() {}

  @Step('route_b')
  @When((ctx: Return) => ctx.amount >= 100)
  large() {}
}

@Pipeline({ name: 'checks' })
class PlainSimilarPipeline {
  @Step('check_a')
  a() {}

  @Step('check_b')
  b() {}
}

async function init(metadata: ModuleMetadata) {
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [OrkaModule.forRoot({ logger: false }), ...(metadata.imports ?? [])],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

async function bootstrapError(metadata: ModuleMetadata): Promise<OrkaConfigurationError> {
  const err = await init(metadata).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OrkaConfigurationError);
  return err as OrkaConfigurationError;
}

describe('N1 step names', () => {
  it('N1 a conditional step named within two edits of another step fails the bootstrap with "did you mean"', async () => {
    const err = await bootstrapError({ providers: [TypoReturnsPipeline] });
    expect(err.problems).toEqual([
      expect.stringMatching(
        /^TypoReturnsPipeline\.review: conditional step "decid" is within two edits of step "decide": did you mean "decide"\?/,
      ),
    ]);
  });

  it('N1 with @Pipeline({ steps }), a method naming a step not listed fails the bootstrap, with a suggestion', async () => {
    const err = await bootstrapError({ providers: [ListedTypoReturnsPipeline] });
    expect(err.problems).toContainEqual(
      expect.stringMatching(
        /^ListedTypoReturnsPipeline\.refund: step "refnud" is not in @Pipeline\(\{ steps \}\) .*did you mean "refund"\?$/,
      ),
    );
    // The listed step that no method handles is reported too.
    expect(err.problems).toContainEqual(expect.stringContaining('"refund"'));
  });

  it('N1 with @Pipeline({ steps }), the steps run in the listed order', async () => {
    const moduleRef = await init({ providers: [ListedReturnsPipeline] });
    const result = await moduleRef.get(PipelineRunner).run(ListedReturnsPipeline, { amount: 1, log: [] });
    expect(result.context.log).toEqual(['refund', 'decide']);
    expect(
      moduleRef
        .get(PipelineRunner)
        .describe('returns')
        .steps.map((s) => s.name),
    ).toEqual(['refund', 'decide']);
    await moduleRef.close();
  });

  it('N1 allowSimilarStepNames lets similar conditional names through; plain steps such as check_a and check_b are always legal', async () => {
    const moduleRef = await init({ providers: [DeliberatePipeline, PlainSimilarPipeline] });
    expect(moduleRef.get(PipelineRunner).pipelines().sort()).toEqual(['checks', 'returns']);
    await moduleRef.close();
  });
});

describe('N1 OrkaModule.forRoot() forgotten', () => {
  @Controller('x')
  class UsesRunnerController {
    constructor(private readonly runner: PipelineRunner) {}
    @Get()
    names() {
      return this.runner.pipelines();
    }
  }

  @Injectable()
  class UsesContextService {
    constructor(readonly orka: OrkaContext) {}
  }

  it.each([
    ['a controller injects PipelineRunner', { controllers: [UsesRunnerController] }],
    ['a service injects OrkaContext', { providers: [UsesContextService] }],
    ['a @Pipeline class is provided', { providers: [PlainSimilarPipeline] }],
  ])('N1 %s: the bootstrap error says to import OrkaModule.forRoot()', async (_what, metadata) => {
    @Module(metadata as ModuleMetadata)
    class ForgetfulModule {}
    const err = await Test.createTestingModule({ imports: [ForgetfulModule] })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('import OrkaModule.forRoot()');
  });
});
