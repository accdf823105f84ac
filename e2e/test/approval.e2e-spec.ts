import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parseSse } from './support/sse.js';
import { startApp, type RunningApp } from './support/app.js';
import { DurableApp, call } from './support/durable-app.js';

// W1 W4 N11 over real HTTP: an order above the approval limit (5,000.00) waits for a person. The built
// app on a real store, restarted while the order waits; and the SSE stream of such an order in-process.

jest.setTimeout(60_000);

/** 501,000 cents: above the default approval limit of 500,000. */
const bigOrder = (customerId: string) => ({
  customerId,
  tier: 'vip',
  items: [
    { sku: 'sku-2', quantity: 100 },
    { sku: 'sku-2', quantity: 100 },
    { sku: 'sku-1', quantity: 1 },
  ],
  paymentMethod: 'card',
});

interface Waiting {
  runId: string;
  orderId: string;
  status: string;
  total: number;
  approve: string;
}

async function waitForRun(base: string, runId: string, status: string) {
  for (;;) {
    const { body } = await call(base, 'GET', `/runs/${runId}`);
    if ((body as { status: string }).status === status) return body as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('an order above the approval limit, over HTTP, across a restart', () => {
  const app = new DurableApp();
  afterAll(() => app.dispose());

  it('W1 N11 answers 202 with Location; restarted while it waits; approved after the restart: confirmed and charged once', async () => {
    const first = await app.boot();
    const placed = await call(first.base, 'POST', '/orders', bigOrder('c-big'));
    expect(placed.status).toBe(202);
    const waiting = placed.body as Waiting;
    expect(placed.headers.get('location')).toBe(`/runs/${waiting.runId}`);
    expect(waiting).toMatchObject({
      status: 'awaiting_approval',
      total: 501_000,
      approve: `/orders/${waiting.runId}/approval`,
    });
    const snapshot = await waitForRun(first.base, waiting.runId, 'waiting');
    expect(snapshot.waiting).toMatchObject({ step: 'approval', signal: 'approval' });

    first.main.child.kill('SIGTERM');
    expect((await first.main.exited).code).toBe(0);
    const second = await app.boot();
    expect((await call(second.base, 'GET', `/runs/${waiting.runId}`)).body).toMatchObject({
      status: 'waiting',
    });

    const invalid = await call(second.base, 'POST', `/orders/${waiting.runId}/approval`, { approved: 'yes' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'ORKA_VALIDATION', pipeline: 'checkout' });
    const approved = await call(second.base, 'POST', `/orders/${waiting.runId}/approval`, {
      approved: true,
      by: 'ops',
    });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({
      orderId: waiting.orderId,
      status: 'confirmed',
      approvedBy: 'ops',
      runId: waiting.runId,
    });
    const charges = (await call(second.base, 'GET', '/payments')).body as { idempotencyKey: string }[];
    expect(charges.filter((c) => c.idempotencyKey.startsWith(`${waiting.runId}:`))).toHaveLength(1);
    second.main.child.kill('SIGTERM');
    await second.main.exited;
  });

  it('W1 R3 a rejected approval fails the order (409 APPROVAL_REJECTED) and gives its stock back', async () => {
    const { main, base } = await app.boot();
    const waiting = (await call(base, 'POST', '/orders', bigOrder('c-rejected'))).body as Waiting;
    const rejected = await call(base, 'POST', `/orders/${waiting.runId}/approval`, {
      approved: false,
      by: 'finance',
    });
    expect(rejected.status).toBe(409);
    expect(rejected.body).toMatchObject({
      statusCode: 409,
      error: 'APPROVAL_REJECTED',
      message: `Order ${waiting.orderId} was rejected by finance.`,
      step: 'approval',
      runId: waiting.runId,
    });
    const { order, inventory } = (await call(base, 'GET', `/orders/${waiting.orderId}`)).body as {
      order: { status: string; inventoryReleased: boolean };
      inventory: Record<string, { heldByOrder: number }>;
    };
    expect(order).toMatchObject({ status: 'failed', inventoryReleased: true });
    expect(inventory['sku-2']!.heldByOrder).toBe(0);
    main.child.kill('SIGTERM');
    await main.exited;
  });
});

describe('an approval that never comes', () => {
  const app = new DurableApp({ APPROVAL_TIMEOUT_MS: '300' });
  afterAll(() => app.dispose());

  it('W4 R3 times out: the order fails with SignalTimeoutError, and its stock is released', async () => {
    const { main, base } = await app.boot();
    const waiting = (await call(base, 'POST', '/orders', bigOrder('c-timeout'))).body as Waiting;
    const failed = await waitForRun(base, waiting.runId, 'failed');
    expect(failed.error).toMatchObject({ name: 'SignalTimeoutError', step: 'approval' });
    const { order } = (await call(base, 'GET', `/orders/${waiting.orderId}`)).body as {
      order: { status: string; inventoryReleased: boolean; failure: string };
    };
    expect(order).toMatchObject({
      status: 'failed',
      inventoryReleased: true,
      failure: expect.stringMatching(/^SignalTimeoutError/),
    });
    main.child.kill('SIGTERM');
    await main.exited;
  });
});

describe('the SSE stream of an order that waits', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.close());

  it('D8 W1 shows run.suspended, then run.resumed once the approval comes, then the rest of the run', async () => {
    const query = 'customerId=c-sse-big&tier=vip&paymentMethod=card&items=sku-2:100,sku-2:100,sku-1:1';
    const res = await fetch(`${running.url}/orders/stream?${query}`, {
      headers: { accept: 'text/event-stream' },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let approved = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!approved && text.includes('event: run.suspended')) {
        approved = true;
        const runId = (
          JSON.parse(parseSse(text).find((e) => e.event === 'run.suspended')!.data) as { runId: string }
        ).runId;
        const answer = await call(running.url, 'POST', `/orders/${runId}/approval`, {
          approved: true,
          by: 'sse',
        });
        expect(answer.status).toBe(201);
      }
    }
    const types = parseSse(text).map((e) => e.event);
    const suspended = types.indexOf('run.suspended');
    expect(suspended).toBeGreaterThan(types.indexOf('step.started'));
    expect(types.indexOf('run.resumed')).toBeGreaterThan(suspended);
    expect(types.slice(types.indexOf('run.resumed'))).toContain('step.completed');
    expect(types.at(-1)).toBe('run.finished');
  });
});

describe('the follow-up mail of a signup', () => {
  const app = new DurableApp({ FOLLOW_UP_DELAY_MS: '1000' });
  afterAll(() => app.dispose());

  it('W3 N11 the signup answers at once; the run sleeps through a restart and the restarted app sends the mail, once', async () => {
    const first = await app.boot();
    const signup = await call(first.base, 'POST', '/users', {
      email: 'sleeper@example.com',
      planType: 'basic',
    });
    expect(signup.status).toBe(201);
    const { runId } = signup.body as { runId: string };
    expect((await call(first.base, 'GET', `/runs/${runId}`)).body).toMatchObject({
      status: 'waiting',
      waiting: { step: 'follow_up', until: expect.any(Number) },
    });
    first.main.child.kill('SIGTERM');
    await first.main.exited;
    const second = await app.boot();
    await waitForRun(second.base, runId, 'completed');
    const mails = (await call(second.base, 'GET', '/mailbox')).body as { to: string; subject: string }[];
    expect(
      mails.filter((m) => m.to === 'sleeper@example.com' && m.subject === 'How is it going?'),
    ).toHaveLength(1);
    second.main.child.kill('SIGTERM');
    await second.main.exited;
  });
});
