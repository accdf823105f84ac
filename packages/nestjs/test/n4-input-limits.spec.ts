import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { IsEmail, IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import {
  OrkaModule,
  OrkaValidationError,
  Pipeline,
  PipelineRunner,
  State,
  Step,
  type StepRun,
} from '../src/index.js';
import { InputTooDeep, sanitizeInput } from '../src/validation/sanitize-input.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { rejectionOf } from './support/rejection.js';

// N4 hardening: input nested past the depth limit is a 400, never a 500 or a stack overflow; the
// properties steps write (@State) are never taken from the input.

export class RefundContext {
  @IsEmail() email!: string;
  @IsOptional() @IsString() note?: string;
  @State() refundId?: string;
  @State() refundReversed?: boolean;
}

@Pipeline({ name: 'refund', context: RefundContext })
export class RefundPipeline {
  @Step('refund')
  refund(ctx: RefundContext, run: StepRun) {
    ctx.refundId = `refund-${run.runId}`;
    ctx.refundReversed = false;
  }
}

/** Starts `refund` as a sub-run with whatever input the test gives it. */
@Pipeline({ name: 'refund_caller' })
export class RefundCallerPipeline {
  @Step('call')
  async call(ctx: { input: unknown; refundId?: string }, run: StepRun) {
    ctx.refundId = (await run.subPipeline(RefundPipeline, ctx.input)).context.refundId;
  }
}

@Controller('refunds')
class RefundsController {
  constructor(private readonly runner: PipelineRunner) {}
  @Post()
  async refund(@Body() body: unknown) {
    const { context } = await this.runner.run(RefundPipeline, body);
    return { refundId: context.refundId, reversed: context.refundReversed };
  }
}

@Module({
  imports: [OrkaModule.forRoot({ validation: { maxDepth: 8 } })],
  providers: [RefundPipeline, RefundCallerPipeline],
  controllers: [RefundsController],
})
class RefundsModule {}

/** A value nested `depth` arrays deep. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe.each(platforms)('N4 input limits over HTTP on %s', (platform) => {
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    logger = new CapturingLogger();
    app = await startApp(platform, [RefundsModule], logger);
  });
  afterAll(() => app.close());

  it(`N4 [${platform}] a body nested 2,000 arrays deep answers 400 with the depth limit, and nothing is logged as an error`, async () => {
    const res = await request(app.getHttpServer())
      .post('/refunds')
      .send({ email: 'ada@example.com', note: nested(2_000) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: ['input must not nest objects or arrays more than 8 levels deep'],
      pipeline: 'refund',
    });
    expect(logger.errors()).toEqual([]);
    expect(logger.lines.map((l) => l.text).join('\n')).not.toContain('RangeError');
  });

  it(`N4 [${platform}] a whole body that is an array nested 2,000 deep answers 400 as well`, async () => {
    const res = await request(app.getHttpServer())
      .post('/refunds')
      .send(nested(2_000) as object);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'ORKA_VALIDATION' });
  });

  it(`N4 [${platform}] input right at the limit is accepted as far as depth goes`, async () => {
    // The body is depth 1; `note` adds 7 levels of arrays: 8 in all. It fails @IsString, not the limit.
    const res = await request(app.getHttpServer())
      .post('/refunds')
      .send({ email: 'ada@example.com', note: nested(7) });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(['note must be a string']);
  });

  it(`N4 [${platform}] a @State() property in the body answers 400 naming it; the step still sets it`, async () => {
    const refused = await request(app.getHttpServer())
      .post('/refunds')
      .send({ email: 'ada@example.com', refundReversed: true, refundId: 'r-1' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: [
        "property refundId is set by the pipeline's steps and must not be given in the input",
        "property refundReversed is set by the pipeline's steps and must not be given in the input",
      ],
      pipeline: 'refund',
    });

    const ok = await request(app.getHttpServer()).post('/refunds').send({ email: 'ada@example.com' });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ refundId: expect.stringMatching(/^refund-/), reversed: false });
  });
});

describe('N4 input limits through the runner', () => {
  let app: INestApplication;
  let runner: PipelineRunner;

  beforeAll(async () => {
    app = await startApp('express', [RefundsModule]);
    runner = app.get(PipelineRunner);
  });
  afterAll(() => app.close());

  it('N4 too deep an input rejects with OrkaValidationError before any step', async () => {
    const err = await rejectionOf(runner.run(RefundPipeline, { email: 'ada@example.com', note: nested(50) }));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).messages).toEqual([
      'input must not nest objects or arrays more than 8 levels deep',
    ]);
  });

  it('N4 a @State() property needs no validation decorator and survives the checks of undeclared properties', async () => {
    const result = await runner.run(RefundPipeline, { email: 'ada@example.com' });
    expect(result.context).toBeInstanceOf(RefundContext);
    expect(result.context.refundId).toMatch(/^refund-/);
  });

  it('N4 a context instance built by code may carry state: only plain input is refused', async () => {
    const ctx = Object.assign(new RefundContext(), { email: 'ada@example.com', refundReversed: true });
    const result = await runner.run(RefundPipeline, ctx);
    expect(result.context).toBe(ctx);
    expect(result.context.refundReversed).toBe(false);
  });

  it("N4 a sub-run's input built by a step may carry state: the refusal is for the run's own input", async () => {
    const result = await runner.run(RefundCallerPipeline, {
      input: { email: 'ada@example.com', refundId: 'from-the-parent' },
    });
    expect(result.context.refundId).toMatch(/^refund-/);
  });
});

describe('N4 the input sanitizer', () => {
  it('N4 copies plain data only: prototype keys dropped at any depth, a container met twice kept once, class instances kept', () => {
    const shared = { sku: 'a' };
    const input: Record<string, unknown> = JSON.parse(
      '{"a":{"__proto__":{"polluted":true},"b":[{"constructor":{"prototype":1},"ok":1}]}}',
    );
    const when = new Date(0);
    input.items = [shared, shared];
    input.self = input;
    input.when = when;
    const copy = sanitizeInput(input) as Record<string, unknown>;
    expect(copy).not.toBe(input);
    expect(Object.keys(copy.a as object)).toEqual(['b']);
    expect((copy.a as { b: unknown[] }).b).toEqual([{ ok: 1 }]);
    expect(copy.items).toEqual([{ sku: 'a' }, undefined]);
    expect(copy.self).toBeUndefined();
    expect(copy.when).toBe(when);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('N4 input nested past the limit is refused, however it nests', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = i % 2 ? [deep] : { d: deep };
    expect(sanitizeInput(deep, 32)).toBeInstanceOf(InputTooDeep);
    expect(sanitizeInput(deep, 64)).not.toBeInstanceOf(InputTooDeep);
  });
});
