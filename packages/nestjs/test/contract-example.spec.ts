import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PipelineRunner } from '../src/index.js';
import { AppModule, MailService, OnboardingPipeline, UsersService } from './fixtures/onboarding.js';

describe('the contract example over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('N3 runs the premium branch and its sub-pipeline, and returns the typed context', async () => {
    const res = await request(app.getHttpServer())
      .post('/users')
      .send({ email: 'Ada@Example.com', planType: 'premium' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 'u1', provisioning: 'premium:u1' });
    expect(app.get(MailService).sent).toEqual(['ada@example.com']);
  });

  it('N6 a mapped error gives its status and body', async () => {
    const res = await request(app.getHttpServer())
      .post('/users')
      .send({ email: 'ada@example.com', planType: 'basic' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'USER_EXISTS',
      message: 'ada@example.com',
      pipeline: 'onboarding',
      step: 'create_user_account',
    });
    expect(typeof res.body.runId).toBe('string');
  });

  it('N4 invalid input gives 400 with the list of constraints', async () => {
    const res = await request(app.getHttpServer())
      .post('/users')
      .send({ email: 'nope', planType: 'gold', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ORKA_VALIDATION');
    expect(res.body.pipeline).toBe('onboarding');
    expect(res.body.message).toEqual(
      expect.arrayContaining(['email must be an email', 'property admin should not exist']),
    );
  });

  it('N3 the runner describes and plans', async () => {
    const runner = app.get(PipelineRunner);
    expect(runner.pipelines().sort()).toEqual(['onboarding', 'premium_provisioning']);
    expect(runner.describe(OnboardingPipeline).steps.map((s) => s.name)).toEqual([
      'validate_input',
      'create_user_account',
      'determine_provisioning',
      'send_welcome_email',
    ]);
    const plan = await runner.plan('onboarding', { email: 'x@example.com', planType: 'basic' });
    expect(plan.find((p) => p.step === 'send_welcome_email')).toEqual({
      step: 'send_welcome_email',
      action: 'skip',
      reason: 'basic plans get no mail',
    });
    expect(app.get(UsersService).users.size).toBe(1);
  });
});
