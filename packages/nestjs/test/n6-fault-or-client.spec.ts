import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  HttpException,
  HttpStatus,
  Module,
  Param,
  Post,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { IsString } from 'class-validator';
import request from 'supertest';
import {
  MapToHttp,
  OrkaModule,
  OrkaValidationError,
  Pipeline,
  PipelineRunner,
  Step,
  SubPipeline,
  runFailure,
  type OrkaModuleOptions,
  type StepRun,
} from '../src/index.js';
import { startApp } from './fixtures/n10-platforms.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { rejectionOf } from './support/rejection.js';

// Who is to blame for a failed run decides its answer and its log line: the client (a 4xx, logged at
// warn without stack) or the application (a 500 without detail, logged at error with the stack).
// Each failed run is logged once, by one component.

export class ShipmentContext {
  @IsString() parcelId!: string;
}

@Pipeline({ name: 'shipment', context: ShipmentContext })
export class ShipmentPipeline {
  @Step('ship')
  ship() {}
}

/** Its branch's extractor builds an invalid sub-input: a bug of the application, not of the client. */
@Pipeline({ name: 'fulfilment' })
export class FulfilmentPipeline {
  @Step('dispatch')
  @SubPipeline(ShipmentPipeline, { extract: () => ({ parcelId: 42 }) as unknown as ShipmentContext })
  dispatch() {}
}

@MapToHttp(HttpStatus.CONFLICT, { code: 'TAKEN' })
export class TakenError extends Error {}

@Pipeline({ name: 'outcomes' })
export class OutcomesPipeline {
  @Step('decide', { timeoutMs: 20 })
  async decide(ctx: { kind: string }, run: StepRun) {
    if (ctx.kind === 'taken') throw new TakenError('already taken');
    if (ctx.kind === 'slow')
      await new Promise((_, reject) => run.signal.addEventListener('abort', () => reject(run.signal.reason)));
    if (ctx.kind === 'bug') throw new TypeError('cannot read properties of undefined');
  }
}

@Controller('blame')
class BlameController {
  constructor(private readonly runner: PipelineRunner) {}
  @Post('fulfil')
  async fulfil() {
    return (await this.runner.run(FulfilmentPipeline, {})).outcome;
  }
  @Post(':kind')
  async outcome(@Param('kind') kind: string, @Body() _body: unknown) {
    return (await this.runner.run(OutcomesPipeline, { kind })).outcome;
  }
}

function blameModule(options: OrkaModuleOptions = {}): DynamicModule {
  @Module({
    imports: [OrkaModule.forRoot(options)],
    providers: [ShipmentPipeline, FulfilmentPipeline, OutcomesPipeline],
    controllers: [BlameController],
  })
  class BlameModule {}
  return { module: BlameModule };
}

describe('N6 who is to blame', () => {
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    logger = new CapturingLogger();
    app = await startApp('express', [blameModule()], logger);
  });
  afterAll(() => app.close());

  const linesOf = (runId: string) => logger.lines.filter((l) => l.text.includes(runId));

  it("N6 N4 a sub-run's input that a step built invalid is the application's fault: 500 without detail, logged at error naming pipeline, step and properties", async () => {
    const res = await request(app.getHttpServer()).post('/blame/fulfil');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      message: 'Internal server error',
      runId: expect.any(String),
    });
    expect(res.text).not.toContain('parcelId');
    expect(res.text).not.toContain('shipment');

    const lines = linesOf(res.body.runId as string);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('error');
    expect(lines[0]!.text).toContain('"fulfilment"');
    expect(lines[0]!.text).toContain('"dispatch"');
    expect(lines[0]!.text).toContain('parcelId must be a string');
  });

  it('N6 the same error reaches a caller outside HTTP unchanged', async () => {
    const err = await rejectionOf(app.get(PipelineRunner).run(FulfilmentPipeline, {}));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect(runFailure(err)).toMatchObject({ pipeline: 'fulfilment', step: 'dispatch' });
  });

  it("N6 a client's mistake (a mapped 4xx) is logged once, at warn, without stack", async () => {
    const res = await request(app.getHttpServer()).post('/blame/taken');
    expect(res.status).toBe(409);
    const lines = linesOf(res.body.runId as string);
    expect(lines).toEqual([
      { level: 'warn', text: expect.stringContaining('"decide": Error: already taken') },
    ]);
    expect(lines[0]!.text).not.toContain(' at ');
  });

  it('N6 a fault is logged once, at error, with its stack; a completed run logs nothing by default', async () => {
    const before = logger.lines.length;
    const ok = await request(app.getHttpServer()).post('/blame/fine');
    expect(ok.status).toBe(201);
    expect(logger.lines.slice(before)).toEqual([]);

    const res = await request(app.getHttpServer()).post('/blame/bug');
    expect(res.status).toBe(500);
    const lines = linesOf(res.body.runId as string);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('error');
    expect(lines[0]!.text).toContain('TypeError: cannot read properties of undefined');
    expect(lines[0]!.text).toContain(' at ');
  });

  it('N6 the 504 body says what timed out, without the advice meant for the developer; the log has it', async () => {
    const res = await request(app.getHttpServer()).post('/blame/slow');
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      statusCode: 504,
      error: 'STEP_TIMEOUT',
      message: 'Step "decide" of pipeline "outcomes" did not finish within its 20 ms budget.',
      pipeline: 'outcomes',
      step: 'decide',
      runId: expect.any(String),
    });
    const lines = linesOf(res.body.runId as string);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toContain('Raise timeoutMs');
  });

  it('N6 toHttpException types its answer: a mapped error, an HttpException as it is, anything else a bare 500', async () => {
    const runner = app.get(PipelineRunner);
    const taken = await rejectionOf(runner.run(OutcomesPipeline, { kind: 'taken' }));
    const mapped: HttpException = runner.toHttpException(taken);
    expect(mapped.getStatus()).toBe(409);
    expect(mapped.getResponse()).toMatchObject({ error: 'TAKEN', pipeline: 'outcomes', step: 'decide' });

    const own = new HttpException('teapot', 418);
    expect(runner.toHttpException(own)).toBe(own);

    const stray = runner.toHttpException(new Error('not from a run: secret detail'));
    expect(stray.getStatus()).toBe(500);
    expect(stray.getResponse()).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});

describe('N6 logRuns and logger: false', () => {
  it('N6 logRuns: true adds one verbose line per completed run, and none for a failed one (its failure line is enough)', async () => {
    const logger = new CapturingLogger();
    const app = await startApp('express', [blameModule({ logRuns: true })], logger);
    try {
      const ok = await app.get(PipelineRunner).run(OutcomesPipeline, { kind: 'fine' });
      expect(logger.lines.filter((l) => l.text.includes(ok.runId))).toEqual([
        {
          level: 'verbose',
          text: expect.stringMatching(/^Run \S+ of pipeline "outcomes" completed in [\d.]+ ms \| Orka$/),
        },
      ]);
      const res = await request(app.getHttpServer()).post('/blame/bug');
      expect(
        logger.lines.filter((l) => l.text.includes(res.body.runId as string)).map((l) => l.level),
      ).toEqual(['error']);
    } finally {
      await app.close();
    }
  });

  it('N6 logger: false turns off the client-error warn lines; faults are still logged', async () => {
    const logger = new CapturingLogger();
    const app = await startApp('express', [blameModule({ logger: false, logRuns: true })], logger);
    try {
      const taken = await request(app.getHttpServer()).post('/blame/taken');
      expect(taken.status).toBe(409);
      await app.get(PipelineRunner).run(OutcomesPipeline, { kind: 'fine' });
      expect(logger.lines.filter((l) => l.text.endsWith('| Orka'))).toEqual([]);
      const bug = await request(app.getHttpServer()).post('/blame/bug');
      expect(
        logger.lines.filter((l) => l.text.includes(bug.body.runId as string)).map((l) => l.level),
      ).toEqual(['error']);
    } finally {
      await app.close();
    }
  });
});
