import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PipelineRunner, StepTimeoutError, runFailure } from '../src/index.js';
import {
  AlreadyThereError,
  DatabaseMeltdownError,
  ParentPipeline,
  SlowPipeline,
  ThrowerPipeline,
  errorFactories,
  errorsModule,
  thrownValues,
} from './fixtures/n6-http-errors.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';
import { rejectionOf } from './support/rejection.js';
import { CapturingLogger } from './support/capturing-logger.js';

let counter = 0;
const nextRunId = () => `n6-run-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** Nothing an unmapped error carries may appear in what the client receives. */
function expectNoLeak(text: string) {
  for (const secret of ['hunter2', '10.0.0.5', 'SELECT', 'DatabaseMeltdown', 'postgres', 'stack', ' at ']) {
    expect(text).not.toContain(secret);
  }
}

describe('N6 errors outside HTTP', () => {
  let app: INestApplication;
  let runner: PipelineRunner;

  beforeAll(async () => {
    app = await startApp('express', [errorsModule()]);
    runner = app.get(PipelineRunner);
  });
  afterAll(() => app.close());

  it.each(Object.keys(errorFactories))(
    "N6 the caller of run gets the step's error unchanged (%s): same instance, no HTTP mapping",
    async (kind) => {
      const thrower = app.get(ThrowerPipeline);
      const err = await rejectionOf(runner.run(ThrowerPipeline, { kind }));
      expect(err).toBe(thrower.lastThrown);
      expect((err as Error).constructor).toBe(errorFactories[kind]!().constructor);
      if (!(thrower.lastThrown instanceof HttpException)) expect(err).not.toBeInstanceOf(HttpException);
      expect(runFailure(err)).toMatchObject({ pipeline: 'thrower', step: 'explode' });
    },
  );

  it('N6 a step timeout outside HTTP rejects with StepTimeoutError, not an HTTP error', async () => {
    const err = await rejectionOf(runner.run(SlowPipeline, {}));
    expect(err).toBeInstanceOf(StepTimeoutError);
    expect(err).not.toBeInstanceOf(HttpException);
    expect((err as StepTimeoutError).step).toBe('crawl');
  });

  it('N6 an error of a sub-run reaches the caller unchanged', async () => {
    const err = await rejectionOf(runner.run(ParentPipeline, { kind: 'mapped' }));
    expect(err).toBeInstanceOf(AlreadyThereError);
    expect(runFailure(err)).toMatchObject({ pipeline: 'child', step: 'child_explode' });
  });
});

describe.each(platforms)('N6 errors inside HTTP on %s', (platform) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  let server: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    logger = new CapturingLogger();
    app = await startApp(platform, [errorsModule()], logger);
    server = app.getHttpServer();
  });
  afterAll(() => app.close());

  const runKind = (kind: string, runId = nextRunId()) =>
    request(server).post(`/errors/run/${kind}`).set('x-run-id', runId);

  it(`N6 [${platform}] the controller's own await of run gets the original error, not the HTTP mapping`, async () => {
    for (const [kind, name] of [
      ['mapped', 'AlreadyThereError'],
      ['internal', 'DatabaseMeltdownError'],
      ['http-exception', 'HttpException'],
    ]) {
      const res = await request(server).post(`/errors/caught/${kind}`);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ caught: name, sameInstance: true });
    }
  });

  const mapped: [string, number, string, string][] = [
    ['mapped', 409, 'ALREADY_THERE', 'ada@example.com is taken'],
    ['mapped-subclass', 409, 'ALREADY_THERE', 'ada@example.com is taken again'],
    ['mapped-no-code', 402, 'PaymentRequiredError', 'pay first'],
    ['listed', 429, 'QUOTA', 'quota used up'],
    ['listed-subclass', 429, 'QUOTA', 'daily quota used up'],
    ['listed-no-code', 423, 'LockedError', 'account locked'],
  ];

  it.each(mapped)(
    `N6 [${platform}] a mapped error (%s) answers %i with { statusCode, error: %s, message, pipeline, step, runId }`,
    async (kind, status, error, message) => {
      const runId = nextRunId();
      const res = await runKind(kind, runId);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({
        statusCode: status,
        error,
        message,
        pipeline: 'thrower',
        step: 'explode',
        runId,
      });
    },
  );

  it(`N6 [${platform}] an HttpException thrown by a step passes through untouched`, async () => {
    const teapot = await runKind('http-exception');
    expect(teapot.status).toBe(418);
    expect(teapot.body).toEqual({ reason: 'teapot', detail: [1, 2] });

    const forbidden = await runKind('forbidden');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ statusCode: 403, message: 'not yours', error: 'Forbidden' });
  });

  it(`N6 [${platform}] an invalid input answers 400 ORKA_VALIDATION with the list`, async () => {
    const res = await request(server).post('/errors/contact').set('x-email', 'not-an-email');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: ['email must be an email'],
      pipeline: 'contact',
    });
  });

  it(`N6 [${platform}] a StepTimeoutError answers 504 STEP_TIMEOUT in the N6 shape`, async () => {
    const runId = nextRunId();
    const res = await request(server).post('/errors/timeout').set('x-run-id', runId);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({
      statusCode: 504,
      error: 'STEP_TIMEOUT',
      pipeline: 'slow',
      step: 'crawl',
      runId,
    });
    expect(typeof res.body.message).toBe('string');
  });

  it(`N6 [${platform}] a RunTimeoutError (deadlineMs) answers 504 RUN_TIMEOUT naming the running step`, async () => {
    const runId = nextRunId();
    const res = await request(server).post('/errors/deadline').set('x-run-id', runId);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({
      statusCode: 504,
      error: 'RUN_TIMEOUT',
      pipeline: 'dawdle',
      step: 'linger',
      runId,
    });
    expect(typeof res.body.message).toBe('string');
  });

  it(`N6 [${platform}] any other error answers 500 with only statusCode, message and runId; the log has the rest`, async () => {
    const runId = nextRunId();
    const res = await runKind('internal', runId);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId });
    expectNoLeak(res.text);
    expectNoLeak(JSON.stringify(res.headers));

    const thrown = app.get(ThrowerPipeline).lastThrown!;
    expect(thrown).toBeInstanceOf(DatabaseMeltdownError);
    const logged = logger.errors().filter((line) => line.includes(runId));
    expect(logged.length).toBeGreaterThan(0);
    const text = logged.join('\n');
    expect(text).toContain('thrower');
    expect(text).toContain('explode');
    expect(text).toContain(thrown.stack!);
  });

  it.each(Object.keys(thrownValues))(
    `N6 [${platform}] a non-Error value thrown by a step (%s) is "any other error": 500 with the runId, logged with pipeline, step and runId`,
    async (kind) => {
      const runId = nextRunId();
      const res = await runKind(kind, runId);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId });
      expectNoLeak(res.text);
      const text = logger
        .errors()
        .filter((line) => line.includes(runId))
        .join('\n');
      expect(text).toContain('thrower');
      expect(text).toContain('explode');
    },
  );

  it(`N6 [${platform}] a mapped error inside a sub-run reports the innermost pipeline and step and the root runId`, async () => {
    const runId = nextRunId();
    const res = await request(server).post('/errors/sub/mapped').set('x-run-id', runId);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'ALREADY_THERE',
      pipeline: 'child',
      step: 'child_explode',
      runId,
    });
  });

  it(`N6 [${platform}] an unmapped error inside a sub-run answers 500 with the root runId and is logged where it happened`, async () => {
    const runId = nextRunId();
    const res = await request(server).post('/errors/sub/internal').set('x-run-id', runId);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId });
    expectNoLeak(res.text);
    const text = logger
      .errors()
      .filter((line) => line.includes(runId))
      .join('\n');
    expect(text).toContain('child');
    expect(text).toContain('child_explode');
    expect(text).toContain('DatabaseMeltdownError');
  });

  it(`N6 [${platform}] the application's own filters and errors from no run are left alone`, async () => {
    const own = await request(server).get('/errors/own');
    expect(own.status).toBe(499);
    expect(own.body).toEqual({ handledBy: 'OwnAppErrorFilter', message: 'handled by the app' });

    // An unknown error from no run gets Nest's default answer: no runId, nothing of the error.
    const plain = await request(server).get('/errors/plain');
    expect(plain.status).toBe(500);
    expect(plain.body).toEqual({ statusCode: 500, message: 'Internal server error' });

    const http = await request(server).get('/errors/http');
    expect(http.status).toBe(409);
    expect(http.body).toEqual({ route: 'own', ok: false });
  });
});

describe('N6 forRoot({ httpErrors: false })', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp('express', [errorsModule({ httpErrors: false })]);
  });
  afterAll(() => app.close());

  it('N6 with httpErrors: false, errors of runs are not mapped: Nest handles them as any error', async () => {
    const server = app.getHttpServer();
    for (const kind of ['mapped', 'listed', 'internal']) {
      const res = await request(server).post(`/errors/run/${kind}`).set('x-run-id', nextRunId());
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    }
    const timeout = await request(server).post('/errors/timeout');
    expect(timeout.status).toBe(500);
    expect(timeout.body).not.toHaveProperty('error');

    // An HttpException is Nest's own business either way.
    const teapot = await request(server).post('/errors/run/http-exception');
    expect(teapot.status).toBe(418);
    expect(teapot.body).toEqual({ reason: 'teapot', detail: [1, 2] });
  });

  it('N6 with httpErrors: false, the caller of run still gets the error unchanged', async () => {
    const err = await rejectionOf(app.get(PipelineRunner).run(ThrowerPipeline, { kind: 'mapped' }));
    expect(err).toBe(app.get(ThrowerPipeline).lastThrown);
    expect(err).toBeInstanceOf(AlreadyThereError);
  });
});

describe('N6 forRoot({ logger: false })', () => {
  it('N6 with run logging off, an unmapped error is still logged with pipeline, step, runId and stack', async () => {
    const logger = new CapturingLogger();
    const app = await startApp('express', [errorsModule({ logger: false })], logger);
    try {
      const runId = nextRunId();
      const res = await request(app.getHttpServer()).post('/errors/run/internal').set('x-run-id', runId);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId });
      const text = logger
        .errors()
        .filter((line) => line.includes(runId))
        .join('\n');
      expect(text).toContain('thrower');
      expect(text).toContain('explode');
      expect(text).toContain(app.get(ThrowerPipeline).lastThrown!.stack!);
    } finally {
      await app.close();
    }
  });
});
