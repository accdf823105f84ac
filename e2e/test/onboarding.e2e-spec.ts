import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { aRunId, mappedErrorBody } from './support/expect.js';

// Signups over real HTTP: POST /users runs the onboarding pipeline; GET /users and GET /mailbox show
// what the runs left behind. One app for the whole file: the tests below build on each other's state.

let running: RunningApp;
const api = () => request(running.url);

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

interface SignupBody {
  userId: string;
  email: string;
  planType: string;
  provisioning: string;
  welcomeEmailSent: boolean;
  runId: string;
  steps: { step: string; status: string; attempts: number; branch?: number | 'otherwise' }[];
}

const stepsWith = (branch: number | 'otherwise', welcomeAttempts = 1) => [
  { step: 'validate_input', status: 'completed', attempts: 1 },
  { step: 'create_user_account', status: 'completed', attempts: 1 },
  { step: 'determine_provisioning', status: 'completed', attempts: 1, branch },
  { step: 'send_welcome_email', status: 'completed', attempts: welcomeAttempts },
];

describe('POST /users: happy paths', () => {
  let basic: SignupBody;
  let premium: SignupBody;

  it('N8 K6 a basic signup takes the otherwise branch into basic_provisioning and sends the welcome mail', async () => {
    const res = await api().post('/users').send({ email: 'bob@example.com', planType: 'basic' }).expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    basic = res.body as SignupBody;
    expect(basic).toEqual({
      userId: expect.stringMatching(/^user-\d+$/),
      email: 'bob@example.com',
      planType: 'basic',
      provisioning: 'basic: shared workspace',
      welcomeEmailSent: true,
      runId: aRunId(),
      steps: stepsWith('otherwise'),
    });
  });

  it('N8 K6 a premium signup takes branch 0 into premium_provisioning, whose result is merged back', async () => {
    const res = await api()
      .post('/users')
      .send({ email: 'ada@example.com', planType: 'premium' })
      .expect(201);
    premium = res.body as SignupBody;
    expect(premium).toEqual({
      userId: expect.stringMatching(/^user-\d+$/),
      email: 'ada@example.com',
      planType: 'premium',
      provisioning: `premium: ws-${premium.userId} with an account manager`,
      welcomeEmailSent: true,
      runId: aRunId(),
      steps: stepsWith(0),
    });
    expect(premium.userId).not.toBe(basic.userId);
    expect(premium.runId).not.toBe(basic.runId);
  });

  it('N4 the validated input becomes the context: validate_input normalises the email', async () => {
    const res = await api()
      .post('/users')
      .send({ email: 'Grace@Example.COM', planType: 'basic' })
      .expect(201);
    expect((res.body as SignupBody).email).toBe('grace@example.com');
  });

  it('GET /users lists the users with the workspace their provisioning sub-pipeline attached', async () => {
    const res = await api().get('/users').expect(200);
    expect(res.body).toEqual([
      { id: basic.userId, email: 'bob@example.com', planType: 'basic', workspaceId: 'shared-1' },
      {
        id: premium.userId,
        email: 'ada@example.com',
        planType: 'premium',
        workspaceId: `ws-${premium.userId}`,
      },
      {
        id: expect.stringMatching(/^user-\d+$/),
        email: 'grace@example.com',
        planType: 'basic',
        workspaceId: 'shared-1',
      },
    ]);
  });

  it('GET /mailbox lists one welcome mail per signup', async () => {
    const res = await api().get('/mailbox').expect(200);
    expect(res.body).toEqual(
      ['bob@example.com', 'ada@example.com', 'grace@example.com'].map((to) => ({
        to,
        subject: 'Welcome to the demo',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      })),
    );
  });
});

describe('POST /users: errors', () => {
  it('N6 409 USER_EXISTS: the mapped body names the pipeline, the step and the run', async () => {
    const res = await api().post('/users').send({ email: 'ADA@example.com', planType: 'basic' }).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(
      mappedErrorBody(
        409,
        'USER_EXISTS',
        'A user with email ada@example.com already exists.',
        'onboarding',
        'create_user_account',
      ),
    );
    const users = (await api().get('/users').expect(200)).body as { email: string }[];
    expect(users.filter((u) => u.email === 'ada@example.com')).toHaveLength(1);
  });

  it('N4 N6 400 ORKA_VALIDATION lists every failed constraint, an undeclared property included', async () => {
    const res = await api().post('/users').send({ email: 'nope', planType: 'gold', x: 1 }).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: expect.any(Array),
      pipeline: 'onboarding',
    });
    expect([...(res.body as { message: string[] }).message].sort()).toEqual([
      'email must be an email',
      'planType must be one of the following values: basic, premium',
      'property x should not exist',
    ]);
  });

  it('N4 400 ORKA_VALIDATION for an empty body: both required properties are named', async () => {
    const res = await api().post('/users').send({}).expect(400);
    expect([...(res.body as { message: string[] }).message].sort()).toEqual([
      'email must be an email',
      'planType must be one of the following values: basic, premium',
    ]);
  });

  it('N4 a __proto__ key in the body reaches no prototype', async () => {
    const res = await api()
      .post('/users')
      .set('content-type', 'application/json')
      .send('{"email":"proto@example.com","planType":"basic","__proto__":{"polluted":"yes"}}');
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('polluted');
  });

  it('N4 a validation failure runs no step: no user is created and no mail is sent', async () => {
    const before = (await api().get('/users').expect(200)).body as unknown[];
    const mailsBefore = (await api().get('/mailbox').expect(200)).body as unknown[];
    await api().post('/users').send({ email: 'valid@example.com', planType: 'gold' }).expect(400);
    expect((await api().get('/users').expect(200)).body).toEqual(before);
    expect((await api().get('/mailbox').expect(200)).body).toEqual(mailsBefore);
  });
});

describe('POST /users: retries, unmapped failures and compensation', () => {
  it('R1 N5 x-mailer-fail-times: 2 makes send_welcome_email succeed on its third attempt (201)', async () => {
    const res = await api()
      .post('/users')
      .set('x-mailer-fail-times', '2')
      .send({ email: 'retry@example.com', planType: 'premium' })
      .expect(201);
    const body = res.body as SignupBody;
    expect(body.welcomeEmailSent).toBe(true);
    expect(body.steps).toEqual(stepsWith(0, 3));
    const mails = (await api().get('/mailbox').expect(200)).body as { to: string }[];
    expect(mails.filter((m) => m.to === 'retry@example.com')).toHaveLength(1);
  });

  it('N5 the fault header of one request does not reach a concurrent one', async () => {
    const [failing, plain] = await Promise.all([
      api()
        .post('/users')
        .set('x-mailer-fail-times', '2')
        .send({ email: 'hdr-a@example.com', planType: 'basic' }),
      api().post('/users').send({ email: 'hdr-b@example.com', planType: 'basic' }),
    ]);
    expect(failing.status).toBe(201);
    expect(plain.status).toBe(201);
    expect((failing.body as SignupBody).steps[3]).toEqual(stepsWith('otherwise', 3)[3]);
    expect((plain.body as SignupBody).steps[3]).toEqual(stepsWith('otherwise', 1)[3]);
  });

  describe('when every attempt of send_welcome_email fails (x-mailer-fail-times: 3, attempts: 3)', () => {
    let res: request.Response;
    beforeAll(async () => {
      res = await api()
        .post('/users')
        .set('x-mailer-fail-times', '3')
        .send({ email: 'Doomed@Example.com', planType: 'premium' });
    });

    it('N6 the unmapped TransientError gives exactly { statusCode: 500, message, runId }', () => {
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId: aRunId() });
    });

    it('N6 the 500 body leaks nothing of the error: no message, class, stack, pipeline, step or input', () => {
      const raw = res.text;
      for (const secret of [
        'mail server',
        'refused',
        'attempt',
        'TransientError',
        'doomed@example.com',
        'Doomed@Example.com',
        'send_welcome_email',
        'onboarding',
        'stack',
        '.ts:',
        'at ',
        'Error',
      ]) {
        expect(raw).not.toContain(secret);
      }
    });

    it('R3 the compensation of create_user_account removed the user, and no mail went out', async () => {
      const users = (await api().get('/users').expect(200)).body as { email: string }[];
      expect(users.map((u) => u.email)).not.toContain('doomed@example.com');
      const mails = (await api().get('/mailbox').expect(200)).body as { to: string }[];
      expect(mails.map((m) => m.to)).not.toContain('doomed@example.com');
    });

    it('R3 the email is free again: the same signup without the fault succeeds', async () => {
      const again = await api()
        .post('/users')
        .send({ email: 'doomed@example.com', planType: 'basic' })
        .expect(201);
      expect((again.body as SignupBody).email).toBe('doomed@example.com');
      expect((again.body as SignupBody).runId).not.toBe((res.body as { runId: string }).runId);
    });
  });
});
