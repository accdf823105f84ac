import { describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OrkaShutdownError, PipelineRunner } from '../src/index.js';
import {
  DeafPipeline,
  Gate,
  ListenerPipeline,
  PatientPipeline,
  aborted,
  refusing,
  shutdownModule,
} from './fixtures/n9-shutdown.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';
import { rejectionOf } from './support/rejection.js';

// No assertion here is about time: a grace period that would be waited out is ten minutes, so a
// close() that waited for it would fail the test by Jest's timeout instead.
const LONG_GRACE = 600_000;

/** Notes on the gate when the promise settles, and keeps how it settled. */
function track<T>(gate: Gate, what: string, promise: Promise<T>) {
  return promise.then(
    (result) => {
      gate.note(what);
      return { result, error: undefined as unknown };
    },
    (error: unknown) => {
      gate.note(what);
      return { result: undefined as T | undefined, error };
    },
  );
}

describe('N9 shutdown', () => {
  it('N9 on app.close() the runner refuses new runs with OrkaShutdownError and lets in-flight runs finish within the grace period', async () => {
    const app = await startApp('express', [shutdownModule(LONG_GRACE)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const inFlight = [1, 2, 3].map((i) => track(gate, `run ${i} settled`, runner.run(PatientPipeline, {})));
    await gate.started.promise;

    const closed = track(gate, 'closed', app.close());
    await refusing(runner);

    for (const target of [PatientPipeline, 'patient'] as const) {
      const refused = await rejectionOf(runner.run(target as typeof PatientPipeline, {}));
      expect(refused).toBeInstanceOf(OrkaShutdownError);
      expect((refused as Error).message).toMatch(/shutting down/i);
    }
    // close() waits for the runs in flight.
    expect(gate.order()).toEqual([]);

    gate.release.resolve();
    const settled = await Promise.all(inFlight);
    // Resolves as soon as the runs are done: waiting out the ten-minute grace would time the test out.
    await closed;
    for (const { result, error } of settled) {
      expect(error).toBeUndefined();
      expect(result!.outcome).toBe('completed');
      expect(result!.context.done).toBe(true);
    }
    expect(gate.signals).toHaveLength(3);
    for (const signal of gate.signals) expect(signal.aborted).toBe(false);
    expect(gate.order()).toEqual(['run 1 settled', 'run 2 settled', 'run 3 settled', 'closed']);
  });

  it("N9 in-flight runs finish before the application's providers are torn down (onModuleDestroy)", async () => {
    const app = await startApp('express', [shutdownModule(LONG_GRACE)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const run = runner.run(PatientPipeline, {});
    await gate.started.promise;

    const closed = app.close();
    await refusing(runner);
    gate.release.resolve();
    const result = await run;
    await closed;
    expect(result.outcome).toBe('completed');
    // The step used its dependency after app.close() was called: it must still have been alive.
    expect(result.context.storeDestroyedWhenUsed).toBe(false);
  });

  it('N9 after the grace period the runner aborts the signals of runs still in flight; such a run rejects with OrkaShutdownError, and close() resolves after it settled', async () => {
    const grace = 50;
    const app = await startApp('express', [shutdownModule(grace)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const run = track(gate, 'run settled', runner.run(ListenerPipeline, {}));
    await gate.started.promise;

    gate.t0 = Date.now();
    await track(gate, 'closed', app.close());

    expect(gate.order()).toEqual(['step saw abort', 'run settled', 'closed']);
    // Not aborted before the grace period was over.
    expect(gate.events[0]!.at).toBeGreaterThanOrEqual(grace - 5);
    const [signal] = gate.signals;
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(OrkaShutdownError);

    // Cancelled by the application's shutdown is not a success: the caller gets the shutdown error.
    const { result, error } = await run;
    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(OrkaShutdownError);
    expect(error).toBe(signal!.reason);
    // The finishers ran, and saw the run cancelled.
    const outcomes = app.get(ListenerPipeline).outcomes;
    expect(outcomes.map((o) => o.status)).toEqual(['cancelled']);
  });

  it("N9 a run cancelled by the caller's own signal still resolves cancelled during a shutdown", async () => {
    const app = await startApp('express', [shutdownModule(LONG_GRACE)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const own = new AbortController();
    const run = runner.run(ListenerPipeline, {}, { signal: own.signal });
    await gate.started.promise;
    const closed = app.close();
    await refusing(runner);
    own.abort(new Error('the caller changed its mind'));
    expect((await run).outcome).toBe('cancelled');
    await closed;
  });

  it('N9 a run that ignores its aborted signal is still waited for before close() resolves', async () => {
    const app = await startApp('express', [shutdownModule(30)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const run = track(gate, 'run settled', runner.run(DeafPipeline, {}));
    await gate.started.promise;

    const closed = track(gate, 'closed', app.close());
    await aborted(gate.signals[0]!);
    expect(gate.order()).toEqual([]);
    gate.release.resolve();
    await closed;

    expect(gate.order()).toEqual(['deaf step finished', 'run settled', 'closed']);
    const { result, error } = await run;
    // The step finished on its own, after the abort: the run was cancelled by the shutdown.
    expect(result).toBeUndefined();
    expect(error).toBeInstanceOf(OrkaShutdownError);
  });

  it('N9 with no run in flight, close() does not wait for the grace period, and runs are refused afterwards', async () => {
    const app = await startApp('express', [shutdownModule(LONG_GRACE)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    gate.release.resolve();
    expect((await runner.run(PatientPipeline, {})).outcome).toBe('completed');

    await app.close();

    const refused = await rejectionOf(runner.run(PatientPipeline, {}));
    expect(refused).toBeInstanceOf(OrkaShutdownError);
    expect(gate.signals).toHaveLength(1);
  });
});

describe.each(platforms)('N9 shutdown over HTTP on %s', (platform) => {
  it(`N9 [${platform}] a request whose run is in flight when app.close() is called gets its normal response; a later one 503`, async () => {
    const app: INestApplication = await startApp(platform, [shutdownModule(LONG_GRACE)]);
    const gate = app.get(Gate);
    const pending = request(app.getHttpServer())
      .post('/shutdown/patient')
      .then((res) => res);
    await gate.started.promise;

    const closed = track(gate, 'closed', app.close());
    await refusing(app.get(PipelineRunner));
    expect(gate.order()).toEqual([]);

    // A request that arrives now has its run refused (503, as the README documents).
    const late = await request(app.getHttpServer()).post('/shutdown/patient');
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ statusCode: 503, error: 'ORKA_SHUTDOWN' });
    gate.release.resolve();

    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ done: true, outcome: 'completed' });
    await closed;
    expect(gate.order()).toEqual(['closed']);
  });

  it(`N9 N6 [${platform}] a request whose run the shutdown aborts after the grace period answers 503 ORKA_SHUTDOWN, not a success`, async () => {
    const app: INestApplication = await startApp(platform, [shutdownModule(20)]);
    const gate = app.get(Gate);
    const pending = request(app.getHttpServer())
      .post('/shutdown/listener')
      .then((res) => res);
    await gate.started.promise;
    const closed = app.close();
    const res = await pending;
    await closed;
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      statusCode: 503,
      error: 'ORKA_SHUTDOWN',
      message: expect.stringContaining('grace period'),
    });
  });
});
