import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { mappedErrorBody } from './support/expect.js';

// process_payment has a 2 s timeout and 3 attempts: a gateway slower than that (x-gateway-latency-ms:
// 2500) times out three times, about 6 s, which is why this file is on its own (Jest runs files in
// parallel when it has workers to spare).

let running: RunningApp;

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

describe('POST /orders with a gateway slower than the step timeout', () => {
  let res: request.Response;
  let elapsedMs: number;

  beforeAll(async () => {
    const started = performance.now();
    res = await request(running.url)
      .post('/orders')
      .set('x-gateway-latency-ms', '2500')
      .send({
        customerId: 'c-slow',
        tier: 'vip',
        items: [{ sku: 'sku-3', quantity: 1 }],
        paymentMethod: 'card',
      });
    elapsedMs = performance.now() - started;
  }, 15_000);

  it('R2 N6 504 STEP_TIMEOUT: exactly the mapped body, naming process_payment', () => {
    expect(res.status).toBe(504);
    expect(res.body).toEqual(
      mappedErrorBody(
        504,
        'STEP_TIMEOUT',
        expect.stringContaining('"process_payment" of pipeline "checkout" did not finish within its 2000 ms'),
        'checkout',
        'process_payment',
      ),
    );
  });

  it('R1 R2 each of the 3 attempts ran into the 2 s budget before the run gave up', () => {
    expect(elapsedMs).toBeGreaterThanOrEqual(3 * 2_000);
    // A fourth attempt would have taken 8 s at least.
    expect(elapsedMs).toBeLessThan(4 * 2_000);
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
