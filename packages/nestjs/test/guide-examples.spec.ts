import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { lastValueFrom, catchError, map, of, toArray } from 'rxjs';
import { MapToHttp, OrkaContext, OrkaModule, Pipeline, PipelineRunner, Step } from '../src/index.js';
import { collectTrace, overrideStep } from '../src/testing/index.js';
import { AppModule, MailService, OnboardingPipeline, type OnboardingContext } from './fixtures/onboarding.js';

// The README's NestJS guide, run as written there.

describe("the README's NestJS guide", () => {
  it('N7 testing with overrides: overrideStep, overrideProvider and collectTrace as in the guide', async () => {
    const sent: string[] = [];
    const fakeMail = {
      welcome: async (email: string) => {
        sent.push(email);
      },
    };
    const moduleRef = await overrideStep(
      Test.createTestingModule({ imports: [AppModule] })
        .overrideProvider(MailService)
        .useValue(fakeMail),
      OnboardingPipeline,
      'create_user_account',
      (ctx: OnboardingContext) => {
        ctx.userId = 'u-test';
      },
    ).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const trace = collectTrace(app); // every run of this app until trace.stop()

    const res = await request(app.getHttpServer())
      .post('/users')
      .send({ email: 'grace@example.com', planType: 'premium' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 'u-test', provisioning: 'premium:u-test' });
    expect(sent).toEqual(['grace@example.com']);
    expect(trace.stepsCompleted()).toContain('send_welcome_email');
    expect(trace.branches()).toEqual([{ step: 'determine_provisioning', branch: 0 }]);
    trace.stop();
    await app.close();
  });

  it('N5 request context: the AuditService of the guide reads the run it is called in', async () => {
    @Injectable()
    class AuditService {
      constructor(private readonly orka: OrkaContext) {}
      record() {
        return `${this.orka.pipeline}/${this.orka.step} run ${this.orka.runId}`;
      }
    }

    @Pipeline({ name: 'audited' })
    class AuditedPipeline {
      constructor(private readonly audit: AuditService) {}
      @Step('work')
      work(ctx: { line?: string }) {
        ctx.line = this.audit.record();
      }
    }

    @Controller('audit')
    class AuditController {
      constructor(private readonly runner: PipelineRunner) {}
      @Get()
      async get() {
        const { context, runId } = await this.runner.run(AuditedPipeline, {});
        return { line: context.line, runId };
      }
    }

    @Module({
      imports: [OrkaModule.forRoot()],
      providers: [AuditService, AuditedPipeline],
      controllers: [AuditController],
    })
    class AuditModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AuditModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const res = await request(app.getHttpServer()).get('/audit');
    expect(res.body.line).toBe(`audited/work run ${res.body.runId}`);
    await app.close();
  });

  it('R6 continueOnError as in the guide: the notify step fails after its attempts and the order stands', async () => {
    interface CheckoutContext {
      orderId?: string;
      confirmed?: boolean;
    }
    @Injectable()
    class MailService {
      calls = 0;
      async orderConfirmed(_orderId: string) {
        this.calls++;
        throw new Error('smtp down');
      }
    }
    @Pipeline({ name: 'guide_checkout' })
    class CheckoutPipeline {
      constructor(private readonly mail: MailService) {}
      @Step('confirm')
      confirm(ctx: CheckoutContext) {
        ctx.orderId = 'order-1';
        ctx.confirmed = true;
      }
      @Step('notify', { continueOnError: true, retry: { attempts: 3, delayMs: 100 } })
      async notify(ctx: CheckoutContext) {
        await this.mail.orderConfirmed(ctx.orderId!);
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [OrkaModule.forRoot({ logger: false })],
      providers: [MailService, CheckoutPipeline],
    }).compile();
    await moduleRef.init();
    const result = await moduleRef.get(PipelineRunner).run(CheckoutPipeline, {});
    expect(result.outcome).toBe('completed');
    expect(result.context.confirmed).toBe(true);
    expect(result.steps[1]).toMatchObject({ step: 'notify', status: 'failed', attempts: 3 });
    expect(moduleRef.get(MailService).calls).toBe(3);
    await moduleRef.close();
  });

  it('N3 N6 the SSE snippet of the guide ends a failed stream with the HTTP body of the error', async () => {
    @MapToHttp(402, { code: 'PAYMENT_DECLINED' })
    class PaymentDeclinedError extends Error {}
    @Pipeline({ name: 'guide_stream' })
    class StreamPipeline {
      @Step('pay')
      pay() {
        throw new PaymentDeclinedError('declined');
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [OrkaModule.forRoot({ logger: false })],
      providers: [StreamPipeline],
    }).compile();
    await moduleRef.init();
    const runner = moduleRef.get(PipelineRunner);
    const events = await lastValueFrom(
      runner.run$(StreamPipeline, {}).pipe(
        map((event) => ({ type: event.type, data: event as unknown })),
        catchError((err) => of({ type: 'error', data: runner.toHttpException(err).getResponse() })),
        toArray(),
      ),
    );
    expect(events.at(-1)).toEqual({
      type: 'error',
      data: expect.objectContaining({ statusCode: 402, error: 'PAYMENT_DECLINED', step: 'pay' }),
    });
    await moduleRef.close();
  });
});
