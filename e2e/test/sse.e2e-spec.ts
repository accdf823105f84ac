import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';
import { parseSse, type SseEvent } from './support/sse.js';

// GET /orders/stream places an order and streams the checkout run's events (N3 run$, K13 events) as
// Server-Sent Events. The stream ends when the run does, so the whole body is read and parsed.

let running: RunningApp;
const api = () => request(running.url);

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

interface EventData {
  type: string;
  runId: string;
  pipeline: string;
  step?: string;
  branch?: number | 'otherwise';
  outcome?: string;
  attempt?: number;
  error?: unknown;
  at: number;
}

async function stream(query: string, headers: Record<string, string> = {}) {
  const res = await api().get(`/orders/stream?${query}`).set(headers).buffer(true);
  const events = parseSse(res.text);
  return { res, events };
}

/** The data of the run's events (the last SSE event may be `error`, whose data is plain text). */
const runEvents = (events: SseEvent[]) =>
  events.filter((e) => e.event !== 'error').map((e) => JSON.parse(e.data) as EventData);

/** `type` or `type:step` or `type:step:branch`, to compare orders at a glance. */
const label = (e: EventData) =>
  [e.type, e.step, e.branch ?? e.outcome].filter((part) => part !== undefined).join(':');

const successfulRun = (branch: number | 'otherwise') => [
  'run.started',
  'step.started:validate_cart',
  'step.completed:validate_cart',
  'step.started:reserve_inventory',
  'step.completed:reserve_inventory',
  // Below the approval limit: the wait for a person is skipped (W1).
  'step.skipped:approval',
  'step.started:process_payment',
  `branch.matched:process_payment:${branch}`,
  'step.completed:process_payment',
  'step.started:confirm_order',
  'step.completed:confirm_order',
  'step.started:notify',
  'step.completed:notify',
  'run.finished:completed',
];

describe('GET /orders/stream: a successful VIP checkout', () => {
  let res: request.Response;
  let events: SseEvent[];
  let data: EventData[];

  beforeAll(async () => {
    ({ res, events } = await stream('customerId=c-sse&tier=vip&paymentMethod=card&items=sku-1:2,sku-2:1'));
    data = runEvents(events);
  });

  it('answers 200 text/event-stream', () => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('K13 K6 N3 streams every event in order: run.started first, branch 0 matched for process_payment, run.finished last', () => {
    expect(data.map(label)).toEqual(successfulRun(0));
  });

  it('K13 each SSE event is named after its type, numbered from 1, and carries the run id and pipeline', () => {
    expect(events.map((e) => e.event)).toEqual(data.map((d) => d.type));
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i + 1)));
    const runId = data[0]!.runId;
    expect(runId).toMatch(/^\S+$/);
    for (const d of data) {
      expect(d).toMatchObject({ runId, pipeline: 'checkout', at: expect.any(Number) });
    }
    const at = data.map((d) => d.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('the streamed run placed a confirmed gateway-x order, found by its run id', async () => {
    const view = (await api().get(`/orders/by-run/${data[0]!.runId}`).expect(200)).body as {
      order: Record<string, unknown>;
    };
    expect(view.order).toMatchObject({
      customerId: 'c-sse',
      tier: 'vip',
      items: [
        { sku: 'sku-1', quantity: 2 },
        { sku: 'sku-2', quantity: 1 },
      ],
      total: 4_500,
      status: 'confirmed',
      gateway: 'gateway-x',
    });
  });
});

describe('GET /orders/stream: other runs', () => {
  it('K6 a standard checkout streams branch.matched "otherwise" for process_payment', async () => {
    const { events } = await stream('customerId=c-sse-std&tier=standard&paymentMethod=card&items=sku-2:1');
    expect(runEvents(events).map(label)).toEqual(successfulRun('otherwise'));
  });

  it('R1 N5 the request headers reach the streamed run: x-mailer-fail-times: 1 shows one step.retry of notify', async () => {
    const { events } = await stream('customerId=c-sse-retry&tier=vip&paymentMethod=card&items=sku-1:1', {
      'x-mailer-fail-times': '1',
    });
    const labels = runEvents(events).map(label);
    expect(labels.slice(-4)).toEqual([
      'step.started:notify',
      'step.retry:notify',
      'step.completed:notify',
      'run.finished:completed',
    ]);
    const retry = runEvents(events).find((e) => e.type === 'step.retry')!;
    expect(retry).toMatchObject({ attempt: 1 });
    // Events carry no error details to clients: those are internal.
    expect(retry).not.toHaveProperty('error');
  });

  it('N4 N6 an invalid query is answered 400 ORKA_VALIDATION as JSON, before any event', async () => {
    const res = await api()
      .get('/orders/stream?customerId=c-bad&tier=gold&paymentMethod=card&items=sku-1:0')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: expect.arrayContaining([
        'tier must be one of the following values: standard, vip',
        'items.0.quantity must not be less than 1',
      ]),
      pipeline: 'checkout',
    });
  });
});

describe('GET /orders/stream: a declined payment', () => {
  let events: SseEvent[];
  beforeAll(async () => {
    ({ events } = await stream(
      'customerId=c-sse-declined&tier=standard&paymentMethod=declined-card&items=sku-3:1',
    ));
  });

  it('R1 K13 the stream shows process_payment failing once (PaymentDeclinedError is not retried)', () => {
    const labels = runEvents(events).map(label);
    expect(labels.slice(0, 9)).toEqual([
      'run.started',
      'step.started:validate_cart',
      'step.completed:validate_cart',
      'step.started:reserve_inventory',
      'step.completed:reserve_inventory',
      'step.skipped:approval',
      'step.started:process_payment',
      'branch.matched:process_payment:otherwise',
      'step.failed:process_payment',
    ]);
    expect(labels).not.toContain('step.retry:process_payment');
    const failed = runEvents(events).find((e) => e.type === 'step.failed')!;
    expect(failed.step).toBe('process_payment');
    expect(failed).not.toHaveProperty('error');
  });

  it('N6 the stream ends with an error event carrying the body an HTTP response would have', () => {
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toEqual({
      statusCode: 402,
      error: 'PAYMENT_DECLINED',
      message: 'The card was declined by gateway-y.',
      pipeline: 'checkout',
      step: 'process_payment',
      runId: expect.any(String),
    });
  });

  it('R3 the streamed run was compensated: the order failed and sku-3 is back to 3 available', async () => {
    const runId = runEvents(events)[0]!.runId;
    const view = (await api().get(`/orders/by-run/${runId}`).expect(200)).body as {
      order: Record<string, unknown>;
      inventory: Record<string, unknown>;
    };
    expect(view.order).toMatchObject({ status: 'failed', inventoryReleased: true });
    expect(view.inventory).toEqual({ 'sku-3': { available: 3, reserved: 0, sold: 0, heldByOrder: 0 } });
  });

  // The controller ends the stream with a final `error` event instead of erroring it: Nest's SSE writer
  // would drop the events still queued (the compensations, run.finished) if the source errored.
  it('K13 R3 the compensation events and run.finished (failed) come before the error event', () => {
    const labels = runEvents(events).map(label);
    expect(labels.slice(9)).toEqual([
      'compensation.started:reserve_inventory',
      'compensation.completed:reserve_inventory',
      'run.finished:failed',
    ]);
  });
});

describe('GET /orders/stream: an unmapped failure', () => {
  it('N6 the error event of an unmapped failure (the gateway keeps failing) leaks nothing', async () => {
    const { res, events } = await stream(
      'customerId=c-sse-secret&tier=vip&paymentMethod=card&items=sku-1:1',
      { 'x-gateway-failure-rate': '1' },
    );
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toEqual({
      statusCode: 500,
      message: 'Internal server error',
      runId: expect.any(String),
    });
    for (const secret of ['temporarily unavailable', 'TransientError', 'c-sse-secret@example.com', 'stack']) {
      expect(res.text).not.toContain(secret);
    }
  });
});
