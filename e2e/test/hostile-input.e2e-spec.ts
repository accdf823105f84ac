import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { parseSse } from './support/sse.js';

// What a careless or hostile client sends must get a 2xx or a 4xx, never a 500: bodies nested deeper
// than the depth limit, repeated query parameters, a body that is not JSON, absurd fault headers. And
// stock never goes below zero, whatever the cart and however many orders arrive at once.

let running: RunningApp;

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

const api = () => request(running.url);

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const order = (customerId: string, items: { sku: string; quantity: number }[]) => ({
  customerId,
  tier: 'standard',
  items,
  paymentMethod: 'card',
});

describe('bodies nested past the depth limit (N4)', () => {
  it.each([
    ['/orders', { customerId: 'c-deep', tier: 'vip', items: nested(2_000), paymentMethod: 'card' }],
    ['/users', { email: 'deep@example.com', planType: nested(2_000) }],
    ['/orders', nested(2_000)],
  ])('POST %s with 2,000 nested arrays (a 4 KB body) answers 400 naming the limit', async (path, body) => {
    const res = await api()
      .post(path)
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: ['input must not nest objects or arrays more than 32 levels deep'],
    });
  });

  it('deeply nested objects (not only arrays) answer 400 too', async () => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) value = { a: value };
    const res = await api()
      .post('/orders')
      .send({ ...order('c-deep', []), extra: value });
    expect(res.status).toBe(400);
  });
});

describe('GET /orders/stream query', () => {
  it('a repeated query parameter answers 400 with the list of problems', async () => {
    const res = await api().get(
      '/orders/stream?customerId=c1&tier=vip&paymentMethod=card&items=sku-1:1&items=sku-2:1',
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.arrayContaining(['items must be a string']),
    });
  });

  it('a missing or malformed cart answers 400, and an unknown parameter too', async () => {
    for (const query of [
      'customerId=c1&tier=vip&paymentMethod=card',
      'customerId=c1&tier=vip&paymentMethod=card&items=sku-1:x',
      'customerId=c1&tier=vip&paymentMethod=card&items=sku-1:1&admin=true',
    ]) {
      const res = await api().get(`/orders/stream?${query}`);
      expect(res.status).toBe(400);
      expect(Array.isArray(res.body.message)).toBe(true);
    }
  });

  it('a well-formed query still streams the run', async () => {
    const res = await api()
      .get('/orders/stream?customerId=c-ok&tier=vip&paymentMethod=card&items=sku-1:1,sku-2:1')
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(parseSse(res.body as string).at(-1)).toMatchObject({ event: 'run.finished' });
  });
});

describe('a body that is not JSON', () => {
  it('POST /orders with content-type text/plain answers 415, not a 400 listing every field', async () => {
    const res = await api().post('/orders').set('content-type', 'text/plain').send('{"customerId":"c1"}');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, message: expect.stringContaining('application/json') });
  });

  it('POST /users with a form body answers 415', async () => {
    const res = await api().post('/users').type('form').send({ email: 'ada@example.com' });
    expect(res.status).toBe(415);
  });
});

describe('fault-injection headers', () => {
  it.each([
    ['x-gateway-latency-ms', '1e12'],
    ['x-gateway-latency-ms', '-5'],
    ['x-gateway-failure-rate', '7'],
    ['x-mailer-fail-times', '2.5'],
    ['x-mailer-fail-times', 'many'],
  ])('%s: %s answers 400 saying what is allowed', async (header, value) => {
    const res = await api()
      .post('/orders')
      .set(header, value)
      .send(order('c-fault', [{ sku: 'sku-1', quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([expect.stringContaining(`${header} must be`)]);
  });
});

describe('stock is reserved per SKU in total, and never goes below zero', () => {
  it('two lines of sku-3 (3 + 3) with 3 in stock answer 409 OUT_OF_STOCK, and the stock is untouched', async () => {
    const res = await api()
      .post('/orders')
      .send(
        order('c-oversell', [
          { sku: 'sku-3', quantity: 3 },
          { sku: 'sku-3', quantity: 3 },
        ]),
      );
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'OUT_OF_STOCK', message: 'Only 3 of sku-3 left, 6 wanted.' });
    const view = (
      await api()
        .get(`/orders/by-run/${res.body.runId as string}`)
        .expect(200)
    ).body;
    expect(view.inventory['sku-3']).toEqual({ available: 3, reserved: 0, sold: 0, heldByOrder: 0 });
  });

  it('20 concurrent orders of one sku-3 each sell exactly 3; the others answer 409; stock ends at 0', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api()
          .post('/orders')
          .send(order(`c-rush-${i}`, [{ sku: 'sku-3', quantity: 1 }])),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(17);
    const sold = answers.find((a) => a.status === 201)!;
    const view = (
      await api()
        .get(`/orders/${sold.body.orderId as string}`)
        .expect(200)
    ).body;
    expect(view.inventory['sku-3']).toEqual({ available: 0, reserved: 0, sold: 3, heldByOrder: 0 });
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.message).toBe('Only 0 of sku-3 left, 1 wanted.');
  });
});
