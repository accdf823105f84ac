import { describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OrkaShutdownError, PipelineRunner, type RunResult } from '../src/index.js';
import {
  DeafPipeline,
  Gate,
  ListenerPipeline,
  PatientPipeline,
  shutdownModule,
  sleep,
} from './fixtures/n9-shutdown.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';

/** The error a promise rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

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

/** Time for app.close() to reach the runner's shutdown hook. */
const letCloseBegin = () => sleep(20);

describe('N9 shutdown', () => {
  it('N9 on app.close() the runner refuses new runs with OrkaShutdownError and lets in-flight runs finish within the grace period', async () => {
    const app = await startApp('express', [shutdownModule(2000)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const inFlight = [1, 2, 3].map((i) => track(gate, `run ${i} settled`, runner.run(PatientPipeline, {})));
    await gate.started.promise;

    gate.t0 = Date.now();
    const closed = track(gate, 'closed', app.close());
    await letCloseBegin();

    for (const target of [PatientPipeline, 'patient'] as const) {
      const refused = await rejectionOf(runner.run(target as typeof PatientPipeline, {}));
      expect(refused).toBeInstanceOf(OrkaShutdownError);
      expect((refused as Error).message).toMatch(/shutting down/i);
    }
    // close() waits for the runs in flight.
    expect(gate.order()).toEqual([]);

    gate.release.resolve();
    const settled = await Promise.all(inFlight);
    await closed;
    for (const { result, error } of settled) {
      expect(error).toBeUndefined();
      expect(result!.outcome).toBe('completed');
      expect(result!.context.done).toBe(true);
    }
    expect(gate.signals).toHaveLength(3);
    for (const signal of gate.signals) expect(signal.aborted).toBe(false);
    expect(gate.order()).toEqual(['run 1 settled', 'run 2 settled', 'run 3 settled', 'closed']);
    // It did not sit out the whole grace period once the runs were done.
    expect(gate.events.at(-1)!.at).toBeLessThan(1500);
  });

  it("N9 in-flight runs finish before the application's providers are torn down (onModuleDestroy)", async () => {
    const app = await startApp('express', [shutdownModule(2000)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const run = runner.run(PatientPipeline, {});
    await gate.started.promise;

    const closed = app.close();
    await letCloseBegin();
    gate.release.resolve();
    const result = await run;
    await closed;
    expect(result.outcome).toBe('completed');
    // The step used its dependency after app.close() was called: it must still have been alive.
    expect(result.context.storeDestroyedWhenUsed).toBe(false);
  });

  it('N9 after the grace period the runner aborts the signals of runs still in flight, and close() resolves after they settled', async () => {
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
    expect(gate.events[0]!.at).toBeLessThan(1000);
    const [signal] = gate.signals;
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(OrkaShutdownError);

    // The run ends cancelled, or rejects; either way it ended, and its finisher ran.
    const { result, error } = await run;
    if (error === undefined) expect((result as RunResult<object>).outcome).toBe('cancelled');
    else expect(error).toBeInstanceOf(Error);
    const outcomes = app.get(ListenerPipeline).outcomes;
    expect(outcomes).toHaveLength(1);
    expect(['cancelled', 'failed']).toContain(outcomes[0]!.status);
  });

  it('N9 a run that ignores its aborted signal is still waited for before close() resolves', async () => {
    const app = await startApp('express', [shutdownModule(30)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    const run = track(gate, 'run settled', runner.run(DeafPipeline, {}));
    await gate.started.promise;

    gate.t0 = Date.now();
    await track(gate, 'closed', app.close());

    expect(gate.order()).toEqual(['deaf step finished', 'run settled', 'closed']);
    const [signal] = gate.signals;
    expect(signal!.aborted).toBe(true);
    const { result } = await run;
    if (result) expect(result.context.sawAbort).toBe(true);
  });

  it('N9 with no run in flight, close() does not wait for the grace period, and runs are refused afterwards', async () => {
    const app = await startApp('express', [shutdownModule(5000)]);
    const runner = app.get(PipelineRunner);
    const gate = app.get(Gate);
    gate.release.resolve();
    expect((await runner.run(PatientPipeline, {})).outcome).toBe('completed');

    const t0 = Date.now();
    await app.close();
    expect(Date.now() - t0).toBeLessThan(1000);

    const refused = await rejectionOf(runner.run(PatientPipeline, {}));
    expect(refused).toBeInstanceOf(OrkaShutdownError);
    expect(gate.signals).toHaveLength(1);
  });
});

describe.each(platforms)('N9 shutdown over HTTP on %s', (platform) => {
  it(`N9 [${platform}] a request whose run is in flight when app.close() is called gets its normal response`, async () => {
    const app: INestApplication = await startApp(platform, [shutdownModule(2000)]);
    const gate = app.get(Gate);
    const pending = request(app.getHttpServer())
      .post('/shutdown/patient')
      .then((res) => res);
    await gate.started.promise;

    const closed = track(gate, 'closed', app.close());
    await letCloseBegin();
    expect(gate.order()).toEqual([]);

    // A request that arrives now has its run refused (503, as the README documents).
    const late = await Promise.race([
      request(app.getHttpServer())
        .post('/shutdown/patient')
        .then((r) => r),
      sleep(1000).then(() => 'no answer: the run was not refused' as const),
    ]);
    expect(late).not.toBe('no answer: the run was not refused');
    if (typeof late !== 'string') {
      expect(late.status).toBe(503);
      expect(late.body).toMatchObject({ statusCode: 503, error: 'ORKA_SHUTDOWN' });
    }
    gate.release.resolve();

    const res = await pending;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ done: true, outcome: 'completed' });
    await closed;
    expect(gate.order()).toEqual(['closed']);
  });
});
