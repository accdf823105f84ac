import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { aRunId, mappedErrorBody } from './support/expect.js';

// Orders over real HTTP: POST /orders runs the checkout pipeline; GET /orders, /orders/:id and
// /orders/by-run/:runId show the orders and the stock of their products. Prices: sku-1 1000, sku-2
// 2500, sku-3 99900 (3 in stock). One app for the whole file: the tests build on each other's state.

let running: RunningApp;
const api = () => request(running.url);

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

interface Item {
  sku: string;
  quantity: number;
}
interface Order {
  id: string;
  runId: string;
  customerId: string;
  tier: string;
  items: Item[];
  total: number;
  status: string;
  paymentId?: string;
  gateway?: string;
  inventoryReleased: boolean;
  failure?: string;
}
interface Stock {
  available: number;
  reserved: number;
  sold: number;
  heldByOrder: number;
}
interface OrderView {
  order: Order;
  inventory: Record<string, Stock>;
}
interface PlacedBody {
  orderId: string;
  status: string;
  total: number;
  gateway: string;
  paymentId: string;
  runId: string;
}

const order = (customerId: string, tier: string, items: Item[], paymentMethod = 'card') => ({
  customerId,
  tier,
  items,
  paymentMethod,
});

describe('POST /orders: happy paths (K6 payment routing)', () => {
  let vip: PlacedBody;
  let standard: PlacedBody;

  it('K6 a VIP order is charged through gateway-x and confirmed', async () => {
    const res = await api()
      .post('/orders')
      .send(
        order('c-vip', 'vip', [
          { sku: 'sku-1', quantity: 2 },
          { sku: 'sku-2', quantity: 1 },
        ]),
      )
      .expect(201);
    vip = res.body as PlacedBody;
    expect(vip).toEqual({
      orderId: expect.stringMatching(/^order-\d+$/),
      status: 'confirmed',
      total: 4_500,
      gateway: 'gateway-x',
      paymentId: expect.stringMatching(/^gateway-x-\d+$/),
      runId: aRunId(),
    });
  });

  it('K6 a standard order takes the otherwise branch: gateway-y', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-std', 'standard', [{ sku: 'sku-2', quantity: 3 }]))
      .expect(201);
    standard = res.body as PlacedBody;
    expect(standard).toEqual({
      orderId: expect.stringMatching(/^order-\d+$/),
      status: 'confirmed',
      total: 7_500,
      gateway: 'gateway-y',
      paymentId: expect.stringMatching(/^gateway-y-\d+$/),
      runId: aRunId(),
    });
    expect(standard.orderId).not.toBe(vip.orderId);
  });

  it('GET /orders lists both orders as confirmed, with their payment', async () => {
    const res = await api().get('/orders').expect(200);
    expect(res.body).toEqual([
      {
        id: vip.orderId,
        runId: vip.runId,
        customerId: 'c-vip',
        tier: 'vip',
        items: [
          { sku: 'sku-1', quantity: 2 },
          { sku: 'sku-2', quantity: 1 },
        ],
        total: 4_500,
        status: 'confirmed',
        paymentId: vip.paymentId,
        gateway: 'gateway-x',
        inventoryReleased: false,
      },
      {
        id: standard.orderId,
        runId: standard.runId,
        customerId: 'c-std',
        tier: 'standard',
        items: [{ sku: 'sku-2', quantity: 3 }],
        total: 7_500,
        status: 'confirmed',
        paymentId: standard.paymentId,
        gateway: 'gateway-y',
        inventoryReleased: false,
      },
    ]);
  });

  it('GET /orders/:id shows the order and the stock of its products: sold, nothing left reserved', async () => {
    const res = await api().get(`/orders/${vip.orderId}`).expect(200);
    const view = res.body as OrderView;
    expect(view.order).toMatchObject({ id: vip.orderId, customerId: 'c-vip', status: 'confirmed' });
    expect(view.inventory).toEqual({
      'sku-1': { available: 1_000_000 - 2, reserved: 0, sold: 2, heldByOrder: 0 },
      'sku-2': { available: 1_000_000 - 4, reserved: 0, sold: 4, heldByOrder: 0 },
    });
  });

  it('GET /orders/by-run/:runId finds the order a run placed', async () => {
    const byRun = await api().get(`/orders/by-run/${standard.runId}`).expect(200);
    const byId = await api().get(`/orders/${standard.orderId}`).expect(200);
    expect(byRun.body).toEqual(byId.body);
    expect((byRun.body as OrderView).order.runId).toBe(standard.runId);
  });

  it('R1 N5 the notify step retries a failing mailer (x-mailer-fail-times: 2) and the order is confirmed', async () => {
    const res = await api()
      .post('/orders')
      .set('x-mailer-fail-times', '2')
      .send(order('c-retry', 'standard', [{ sku: 'sku-1', quantity: 1 }]))
      .expect(201);
    const placed = res.body as PlacedBody;
    expect(placed.status).toBe('confirmed');
    const mails = (await api().get('/mailbox').expect(200)).body as { to: string; subject: string }[];
    expect(mails.filter((m) => m.to === 'c-retry@example.com')).toEqual([
      expect.objectContaining({ subject: `Order ${placed.orderId} confirmed` }),
    ]);
  });
});

describe('POST /orders: a declined payment is compensated (R3)', () => {
  let declined: { runId: string };

  it('N6 402 PAYMENT_DECLINED: exactly the mapped body, from process_payment', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-declined', 'standard', [{ sku: 'sku-3', quantity: 2 }], 'declined-card'))
      .expect(402);
    expect(res.body).toEqual(
      mappedErrorBody(
        402,
        'PAYMENT_DECLINED',
        'The card was declined by gateway-y.',
        'checkout',
        'process_payment',
      ),
    );
    declined = res.body as { runId: string };
  });

  it('R3 K8 GET /orders/by-run/:runId shows the order failed, its stock released: sku-3 back to 3 available, 0 reserved', async () => {
    const res = await api().get(`/orders/by-run/${declined.runId}`).expect(200);
    const view = res.body as OrderView;
    expect(view.order).toEqual({
      id: expect.stringMatching(/^order-\d+$/),
      runId: declined.runId,
      customerId: 'c-declined',
      tier: 'standard',
      items: [{ sku: 'sku-3', quantity: 2 }],
      total: 2 * 99_900,
      status: 'failed',
      inventoryReleased: true,
      failure: 'PaymentDeclinedError: The card was declined by gateway-y.',
    });
    expect(view.inventory).toEqual({ 'sku-3': { available: 3, reserved: 0, sold: 0, heldByOrder: 0 } });
  });

  it('K6 R3 a VIP order with the declined card is declined by gateway-x, and compensated too', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-declined-vip', 'vip', [{ sku: 'sku-3', quantity: 1 }], 'declined-card'))
      .expect(402);
    expect((res.body as { message: string }).message).toBe('The card was declined by gateway-x.');
    const view = (
      await api()
        .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
        .expect(200)
    ).body as OrderView;
    expect(view.order).toMatchObject({ status: 'failed', inventoryReleased: true });
    expect(view.inventory['sku-3']).toEqual({ available: 3, reserved: 0, sold: 0, heldByOrder: 0 });
  });
});

describe('POST /orders: other mapped errors (N6)', () => {
  it('N6 409 OUT_OF_STOCK from reserve_inventory: sku-3 has only 3 (the released ones included)', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-greedy', 'standard', [{ sku: 'sku-3', quantity: 4 }]))
      .expect(409);
    expect(res.body).toEqual(
      mappedErrorBody(
        409,
        'OUT_OF_STOCK',
        'Only 3 of sku-3 left, 4 wanted.',
        'checkout',
        'reserve_inventory',
      ),
    );
    const view = (
      await api()
        .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
        .expect(200)
    ).body as OrderView;
    expect(view.order).toMatchObject({ status: 'failed', inventoryReleased: false });
    expect(view.order.failure).toBe('OutOfStockError: Only 3 of sku-3 left, 4 wanted.');
    expect(view.inventory['sku-3']).toEqual({ available: 3, reserved: 0, sold: 0, heldByOrder: 0 });
  });

  it('N6 422 UNKNOWN_PRODUCT from validate_cart, before any order is opened', async () => {
    const ordersBefore = ((await api().get('/orders').expect(200)).body as Order[]).length;
    const res = await api()
      .post('/orders')
      .send(order('c-unknown', 'vip', [{ sku: 'sku-9', quantity: 1 }]))
      .expect(422);
    expect(res.body).toEqual(
      mappedErrorBody(422, 'UNKNOWN_PRODUCT', 'Unknown product sku-9.', 'checkout', 'validate_cart'),
    );
    expect(((await api().get('/orders').expect(200)).body as Order[]).length).toBe(ordersBefore);
    await api()
      .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
      .expect(404);
  });

  it('R3 the released stock can be bought: 3 of sku-3 are sold, then 409 OUT_OF_STOCK with 0 left', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-last', 'vip', [{ sku: 'sku-3', quantity: 3 }]))
      .expect(201);
    const view = (
      await api()
        .get(`/orders/${(res.body as PlacedBody).orderId}`)
        .expect(200)
    ).body as OrderView;
    expect(view.inventory['sku-3']).toEqual({ available: 0, reserved: 0, sold: 3, heldByOrder: 0 });
    const more = await api()
      .post('/orders')
      .send(order('c-late', 'vip', [{ sku: 'sku-3', quantity: 1 }]))
      .expect(409);
    expect((more.body as { message: string }).message).toBe('Only 0 of sku-3 left, 1 wanted.');
  });
});

describe('POST /orders: validation (N4)', () => {
  it('N4 N6 400 ORKA_VALIDATION lists each property: top-level, nested item and undeclared ones', async () => {
    const ordersBefore = ((await api().get('/orders').expect(200)).body as Order[]).length;
    const res = await api()
      .post('/orders')
      .send({
        customerId: 'c-invalid',
        tier: 'gold',
        items: [{ sku: 'bad', quantity: 0 }, { sku: 'sku-1' }],
        paymentMethod: 'card',
        x: 1,
      })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: expect.any(Array),
      pipeline: 'checkout',
    });
    expect([...(res.body as { message: string[] }).message].sort()).toEqual(
      [
        'property x should not exist',
        'tier must be one of the following values: standard, vip',
        'items.0.sku must match /^sku-\\d+$/ regular expression',
        'items.0.quantity must not be less than 1',
        'items.1.quantity must not be greater than 100',
        'items.1.quantity must not be less than 1',
        'items.1.quantity must be an integer number',
      ].sort(),
    );
    expect(((await api().get('/orders').expect(200)).body as Order[]).length).toBe(ordersBefore);
  });

  it('N4 an undeclared property inside an item is named with its path', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-color', 'vip', [{ sku: 'sku-1', quantity: 1, color: 'red' } as Item]))
      .expect(400);
    expect((res.body as { message: string[] }).message).toEqual(['items.0.property color should not exist']);
  });

  it('N4 an empty cart is rejected', async () => {
    const res = await api()
      .post('/orders')
      .send(order('c-empty', 'vip', []))
      .expect(400);
    expect((res.body as { message: string[] }).message).toEqual(['items must contain at least 1 elements']);
  });
});

describe('POST /orders: notify fails after the payment was taken (x-mailer-fail-times: 3)', () => {
  let res: request.Response;
  let soldBefore: number;
  beforeAll(async () => {
    const probe = await api()
      .post('/orders')
      .send(order('c-probe', 'vip', [{ sku: 'sku-2', quantity: 1 }]))
      .expect(201);
    const view = (
      await api()
        .get(`/orders/${(probe.body as PlacedBody).orderId}`)
        .expect(200)
    ).body as OrderView;
    soldBefore = view.inventory['sku-2']!.sold;
    res = await api()
      .post('/orders')
      .set('x-mailer-fail-times', '3')
      .send(order('c-unnotified', 'vip', [{ sku: 'sku-2', quantity: 1 }]));
  });

  it('R1 a confirmation mail that fails every attempt does not undo a paid order: 201', () => {
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', gateway: 'gateway-x' });
  });

  it('R3 the order stays confirmed and sold, nothing is released, and the failed mail is recorded', async () => {
    const view = (
      await api()
        .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
        .expect(200)
    ).body as OrderView;
    expect(view.inventory['sku-2']!.sold).toBe(soldBefore + 1);
    expect(view.order).toMatchObject({
      status: 'confirmed',
      inventoryReleased: false,
      notificationFailed: true,
    });
  });
});

describe('POST /orders: the gateway keeps failing (x-gateway-failure-rate: 1)', () => {
  it('N6 the unmapped TransientError of process_payment gives a 500 whose body leaks nothing, and the stock is released', async () => {
    const res = await api()
      .post('/orders')
      .set('x-gateway-failure-rate', '1')
      .send(order('c-gateway-down', 'vip', [{ sku: 'sku-2', quantity: 1 }]));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error', runId: aRunId() });
    for (const secret of [
      'temporarily unavailable',
      'TransientError',
      'gateway-x',
      'c-gateway-down',
      'checkout',
    ]) {
      expect(res.text).not.toContain(secret);
    }
    const view = (
      await api()
        .get(`/orders/by-run/${(res.body as { runId: string }).runId}`)
        .expect(200)
    ).body as OrderView;
    expect(view.order).toMatchObject({
      status: 'failed',
      inventoryReleased: true,
      failure: 'TransientError',
    });
  });
});

describe('GET /orders/...: unknown ids', () => {
  it("404 for an unknown order id, with Nest's standard body", async () => {
    const res = await api().get('/orders/order-999').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'No order order-999.' });
  });

  it('404 for a run that placed no order', async () => {
    const res = await api().get('/orders/by-run/no-such-run').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No order was placed by run no-such-run.',
    });
  });
});
