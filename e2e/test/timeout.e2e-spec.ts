import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TraceCollector } from '@orka/core';
import { collectTrace } from '@orka/nestjs/testing';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { mappedErrorBody } from './support/expect.js';

// process_payment has a 2 s timeout and 3 attempts: a gateway slower than that (x-gateway-latency-ms:
// 2500) times out three times, about 6 s, which is why this file is on its own (Jest runs files in
// parallel when it has workers to spare).

let running: RunningApp;
let trace: TraceCollector;

beforeAll(async () => {
  running = await startApp();
  trace = collectTrace(running.app);
});
afterAll(async () => {
  trace.stop();
  await running.close();
});

describe('POST /orders with a gateway slower than the step timeout', () => {
  let res: request.Response;

  beforeAll(async () => {
    res = await request(running.url)
      .post('/orders')
      .set('x-gateway-latency-ms', '2500')
      .send({
        customerId: 'c-slow',
        tier: 'vip',
        items: [{ sku: 'sku-3', quantity: 1 }],
        paymentMethod: 'card',
      });
  }, 60_000);

  it('R2 N6 504 STEP_TIMEOUT: exactly the mapped body, naming process_payment', () => {
    expect(res.status).toBe(504);
    expect(res.body).toEqual(
      mappedErrorBody(
        504,
        'STEP_TIMEOUT',
        'Step "process_payment" of pipeline "checkout" did not finish within its 2000 ms budget.',
        'checkout',
        'process_payment',
      ),
    );
  });

  it('R1 R2 each of the 3 attempts ran into the 2 s budget before the run gave up', () => {
    const runId = (res.body as { runId: string }).runId;
    const ofRun = trace.events.filter((e) => e.runId === runId && e.step === 'process_payment');
    // Two retries, each after a timed-out attempt, then the third timed out and failed the step.
    const retries = ofRun.filter((e) => e.type === 'step.retry');
    expect(retries.map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
    for (const retry of retries)
      expect((retry as { error: unknown }).error).toMatchObject({ name: 'StepTimeoutError' });
    expect(ofRun.filter((e) => e.type === 'step.failed')).toHaveLength(1);
  });

  it('N6 the 504 body carries no advice meant for the developer', () => {
    expect(JSON.stringify(res.body)).not.toMatch(/timeoutMs|run\.signal|honour/);
  });

  it('R3 the timed-out run was compensated: the order failed and its sku-3 is available again', async () => {
    const view = (
      await request(running.url)
        .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
        .expect(200)
    ).body as { order: Record<string, unknown>; inventory: Record<string, unknown> };
    expect(view.order).toMatchObject({ status: 'failed', inventoryReleased: true, customerId: 'c-slow' });
    expect(view.order.failure).toMatch(/^StepTimeoutError: /);
    expect(view.inventory).toEqual({ 'sku-3': { available: 3, reserved: 0, sold: 0, heldByOrder: 0 } });
  });
});
