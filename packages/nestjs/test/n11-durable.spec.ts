import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryRunStore, RunFailedError, runFailure } from '@orka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  ContextNotSerializableError,
  InvalidArgumentError,
  OrkaConfigurationError,
  OrkaModule,
  PipelineRunner,
  RunNotFoundError,
} from '../src/index.js';
import { startApp as startOn } from './fixtures/n10-platforms.js';
import {
  CardDeclinedError,
  Parcel,
  QuotePipeline,
  RequestScopedDurablePipeline,
  ShipmentContext,
  ShipmentPipeline,
  Warehouse,
  durableModule,
} from './fixtures/n11-durable.js';
import { rejectionOf } from './support/rejection.js';

const order = { orderId: 'o-1', parcel: { sku: 'sku-1', qty: 3 }, placedAt: '2026-12-01T10:00:00.000Z' };

/** Resolves once the store has the run in that status. */
async function until(store: MemoryRunStore, runId: string, status: string): Promise<void> {
  for (;;) {
    if ((await store.load(runId))?.run.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every application a test starts is closed after it, also when the test fails half-way. */
const open: INestApplication[] = [];
async function startApp(...args: Parameters<typeof startOn>): Promise<INestApplication> {
  const app = await startOn(...args);
  open.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close().catch(() => undefined)));
});

describe('N11 durable pipelines in NestJS', () => {
  it('N11 D1 runner.run of a durable pipeline is start then result; get and list show the committed run', async () => {
    const store = new MemoryRunStore();
    const app = await startApp('express', [durableModule(store)]);
    const runner = app.get(PipelineRunner);
    const result = await runner.run(ShipmentPipeline, order);
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['reserve', 'completed'],
      ['charge', 'completed'],
      ['ship', 'completed'],
    ]);
    const snapshot = await runner.get(result.runId);
    expect(snapshot).toMatchObject({ pipeline: 'shipment', version: '1', status: 'completed' });
    expect(snapshot!.steps.map((s) => s.step)).toEqual(['reserve', 'charge', 'ship']);
    const page = await runner.list({ pipeline: 'shipment' });
    expect(page.runs.map((r) => r.runId)).toEqual([result.runId]);
    // An ordinary pipeline beside it stays in memory.
    expect((await runner.run(QuotePipeline, {})).context).toEqual({ total: 42 });
    expect((await runner.list({ pipeline: 'quote' })).runs).toEqual([]);
    await app.close();
  });

  it('N11 K13 the application observers and the run observer each see every event of a durable run once', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const runner = app.get(PipelineRunner);
    const seenByApp: string[] = [];
    const seenByRun: string[] = [];
    const stop = runner.observe((e) => seenByApp.push(`${e.type}:${e.step ?? ''}`));
    await runner.run(ShipmentPipeline, order, {
      observer: (e) => seenByRun.push(`${e.type}:${e.step ?? ''}`),
    });
    stop();
    const expected = [
      'run.started:',
      'step.started:reserve',
      'step.completed:reserve',
      'step.started:charge',
    ];
    expect(seenByApp.slice(0, 4)).toEqual(expected);
    expect(seenByRun.slice(0, 4)).toEqual(expected);
    expect(seenByApp.filter((e) => e === 'run.finished:')).toHaveLength(1);
    expect(seenByRun).toEqual(seenByApp);
  });

  it('N11 D1 start with an idempotency key already used starts nothing and returns the first run', async () => {
    const store = new MemoryRunStore();
    const app = await startApp('express', [durableModule(store)]);
    const runner = app.get(PipelineRunner);
    const first = await runner.start(ShipmentPipeline, order, { idempotencyKey: 'order-o-1' });
    const second = await runner.start(ShipmentPipeline, order, { idempotencyKey: 'order-o-1' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ runId: first.runId, created: false });
    await runner.result(first.runId);
    expect(app.get(Warehouse).calls).toEqual(['reserve', 'charge', 'ship']);
    await app.close();
  });

  it('N11 D3 N12 a run let go at shutdown resumes in the next application: classes come back through class-transformer, the request does not', async () => {
    const store = new MemoryRunStore();
    const first = await startApp('express', [durableModule(store, 20)]);
    const warehouse = first.get(Warehouse);
    warehouse.holdShip = true;
    const { runId } = await first.get(PipelineRunner).start(ShipmentPipeline, order);
    await warehouse.shipping.promise;
    // The grace period is short: the run is let go at its next commit, not cancelled.
    const closed = first.close();
    setTimeout(() => warehouse.release.resolve(), 50);
    await closed;
    const stored = await store.load(runId);
    expect(stored?.run.status).toBe('running');
    expect(stored?.run.owner).toBeUndefined();

    const second = await startApp('express', [durableModule(store)]);
    const result = await second.get(PipelineRunner).result<ShipmentContext>(runId);
    expect(result.outcome).toBe('completed');
    // Committed steps did not run again; the step in flight did, here.
    expect(second.get(Warehouse).calls).toEqual(['ship']);
    expect(result.context).toBeInstanceOf(ShipmentContext);
    expect(result.context.parcel).toBeInstanceOf(Parcel);
    expect(result.context.seen).toEqual({
      parcelIsParcel: true,
      placedAtIsDate: true,
      reservedIsMap: true,
      weight: 6,
    });
    expect(result.context.shippedBy).toBe(runId);
    expect(result.context.requestSeenAtShip).toBe(false);
    await second.close();
  });

  it('N12 a durable run started in an HTTP request sees the request where it started, and none outside one', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const answer = await request(app.getHttpServer()).post('/shipments').send(order);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ requestSeenAtCharge: true });
    const result = await app.get(PipelineRunner).run(ShipmentPipeline, order);
    expect(result.context.requestSeenAtCharge).toBe(false);
    await app.close();
  });

  it('N11 D3 a cycle in the context is refused at start too, naming where', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const parcel = Object.assign(new Parcel(), { sku: 'a', qty: 1 });
    const input = Object.assign(new ShipmentContext(), { orderId: 'o-3', parcel, callback: { parcel } });
    const refused = await rejectionOf(app.get(PipelineRunner).start(ShipmentPipeline, input));
    expect(refused).toBeInstanceOf(ContextNotSerializableError);
    expect((refused as ContextNotSerializableError).path).toMatch(/^\$\.(parcel|callback\.parcel)$/);
    await app.close();
  });

  it('N11 D3 a context that JSON would not bring back is refused at start, naming the property', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const input = Object.assign(new ShipmentContext(), {
      orderId: 'o-2',
      parcel: Object.assign(new Parcel(), { sku: 'a', qty: 1 }),
      callback: () => 'not data',
    });
    const refused = await rejectionOf(app.get(PipelineRunner).start(ShipmentPipeline, input));
    expect(refused).toBeInstanceOf(ContextNotSerializableError);
    expect((refused as ContextNotSerializableError).path).toBe('$.callback');
    expect(app.get(Warehouse).calls).toEqual([]);
    await app.close();
  });

  it('N11 D6 a failed run rejects with the very error here, and with RunFailedError mapped as its class after a restart', async () => {
    const store = new MemoryRunStore();
    const first = await startApp('express', [durableModule(store)]);
    first.get(Warehouse).declineCard = true;
    const runner = first.get(PipelineRunner);
    const { runId } = await runner.start(ShipmentPipeline, order);
    const here = await rejectionOf(runner.result(runId));
    expect(here).toBeInstanceOf(CardDeclinedError);
    await first.close();

    const second = await startApp('express', [durableModule(store)]);
    const elsewhere = await rejectionOf(second.get(PipelineRunner).result(runId));
    expect(elsewhere).toBeInstanceOf(RunFailedError);
    expect(elsewhere).toMatchObject({
      originalName: 'CardDeclinedError',
      step: 'charge',
      pipeline: 'shipment',
    });
    expect(runFailure(elsewhere)).toMatchObject({ pipeline: 'shipment', step: 'charge', runId });
    const answer = await request(second.getHttpServer()).get(`/shipments/${runId}/result`);
    expect(answer.status).toBe(402);
    expect(answer.body).toEqual({
      statusCode: 402,
      error: 'CARD_DECLINED',
      message: 'card declined for o-1',
      pipeline: 'shipment',
      step: 'charge',
      runId,
    });
    await second.close();
  });

  it('N11 RunNotFoundError maps to 404', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const refused = await rejectionOf(app.get(PipelineRunner).result('no-such-run'));
    expect(refused).toBeInstanceOf(RunNotFoundError);
    const answer = await request(app.getHttpServer()).get('/shipments/no-such-run/result');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ statusCode: 404, error: 'RUN_NOT_FOUND', runId: 'no-such-run' });
    await app.close();
  });

  it('N11 start of a pipeline that is not durable, and a deadline for one that is, are refused with what to do', async () => {
    const app = await startApp('express', [durableModule(new MemoryRunStore())]);
    const runner = app.get(PipelineRunner);
    const notDurable = await rejectionOf(runner.start(QuotePipeline, {}));
    expect(notDurable).toBeInstanceOf(InvalidArgumentError);
    expect((notDurable as Error).message).toMatch(
      /"quote" is not durable; mark it @Pipeline\(\{ durable: true \}\)/,
    );
    const deadline = await rejectionOf(runner.run(ShipmentPipeline, order, { deadlineMs: 1000 }));
    expect((deadline as Error).message).toMatch(/deadlines are not supported for durable pipelines/);
    await app.close();
  });

  it('N11 the caller signal of runner.run cancels the durable run, committed as cancelled', async () => {
    const store = new MemoryRunStore();
    const app = await startApp('express', [durableModule(store)]);
    const warehouse = app.get(Warehouse);
    warehouse.holdShip = true;
    const controller = new AbortController();
    const running = app.get(PipelineRunner).run(ShipmentPipeline, order, { signal: controller.signal });
    await warehouse.shipping.promise;
    controller.abort('customer asked');
    warehouse.release.resolve();
    const result = await running;
    expect(result.outcome).toBe('cancelled');
    await until(store, result.runId, 'cancelled');
    await app.close();
  });

  it('N12 a request-scoped pipeline cannot be durable: the bootstrap says why', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OrkaModule.forRoot()],
      providers: [RequestScopedDurablePipeline],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const failed = await rejectionOf(app.init());
    expect(failed).toBeInstanceOf(OrkaConfigurationError);
    expect((failed as Error).message).toMatch(
      /RequestScopedDurablePipeline: pipeline "per-request" is durable and request-scoped/,
    );
    await app.close().catch(() => undefined);
  });
});
