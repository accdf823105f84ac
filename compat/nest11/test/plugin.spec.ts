// The NestJS plugin on Nest 11 (CommonJS): discovery, the runner, validation, request context and
// errors over real HTTP, loaded through the packed CommonJS build of @orka/nestjs.
import 'reflect-metadata';
import {
  Body,
  Controller,
  HttpStatus,
  Injectable,
  Module,
  Post,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  MapToHttp,
  OrkaContext,
  OrkaModule,
  Otherwise,
  Pipeline,
  PipelineRunner,
  Step,
  When,
  type StepRun,
} from '@orka/nestjs';
import { collectTrace } from '@orka/nestjs/testing';
import { IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';
import request from 'supertest';

class OrderContext {
  @IsString() customerId!: string;
  @IsIn(['standard', 'vip']) tier!: 'standard' | 'vip';
  @IsInt() @Min(1) amount!: number;
  @IsOptional() @IsString() gateway?: string;
  @IsOptional() @IsString() seenBy?: string;
}

@MapToHttp(HttpStatus.PAYMENT_REQUIRED, { code: 'PAYMENT_DECLINED' })
class PaymentDeclinedError extends Error {}

@Injectable()
class Audit {
  constructor(private readonly orka: OrkaContext) {}
  who(): string {
    return `${this.orka.pipeline}/${this.orka.step}`;
  }
}

@Pipeline({ name: 'checkout', context: OrderContext })
class CheckoutPipeline {
  constructor(private readonly audit: Audit) {}

  @Step('check')
  check(ctx: OrderContext) {
    if (ctx.amount > 1000) throw new PaymentDeclinedError(`declined: ${ctx.amount}`);
    ctx.seenBy = this.audit.who();
  }

  @Step('pay')
  @When((ctx: OrderContext) => ctx.tier === 'vip')
  vip(ctx: OrderContext, run: StepRun) {
    ctx.gateway = `x:${run.attempt}`;
  }

  @Step('pay')
  @Otherwise()
  standard(ctx: OrderContext) {
    ctx.gateway = 'y';
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly runner: PipelineRunner) {}

  @Post()
  async create(@Body() body: unknown) {
    const { context, outcome } = await this.runner.run(CheckoutPipeline, body);
    return { outcome, gateway: context.gateway, seenBy: context.seenBy };
  }
}

@Module({
  imports: [OrkaModule.forRoot({ logger: false })],
  providers: [CheckoutPipeline, Audit],
  controllers: [OrdersController],
})
class AppModule {}

describe('N10 @orka/nestjs on Nest 11 (CommonJS)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  it('N10 discovers the pipeline and runs it over HTTP, with branches and OrkaContext', async () => {
    const trace = collectTrace(app);
    const res = await request(app.getHttpServer())
      .post('/orders')
      .send({ customerId: 'c1', tier: 'vip', amount: 10 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ outcome: 'completed', gateway: 'x:1', seenBy: 'checkout/check' });
    expect(trace.branches()).toEqual([{ step: 'pay', branch: 0 }]);
    trace.stop();
  });

  it('N10 maps a @MapToHttp error and a validation failure', async () => {
    const declined = await request(app.getHttpServer())
      .post('/orders')
      .send({ customerId: 'c2', tier: 'standard', amount: 5000 });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({
      statusCode: 402,
      error: 'PAYMENT_DECLINED',
      pipeline: 'checkout',
      step: 'check',
    });

    const invalid = await request(app.getHttpServer())
      .post('/orders')
      .send({ customerId: 'c3', tier: 'gold', amount: 0 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('ORKA_VALIDATION');
    expect(invalid.body.message).toEqual(
      expect.arrayContaining([
        'tier must be one of the following values: standard, vip',
        'amount must not be less than 1',
      ]),
    );
  });

  it('N10 the runner describes the pipeline and lists it', () => {
    const runner = app.get(PipelineRunner);
    expect(runner.pipelines()).toEqual(['checkout']);
    expect(runner.describe(CheckoutPipeline).steps.map((s) => s.name)).toEqual(['check', 'pay']);
  });
});
