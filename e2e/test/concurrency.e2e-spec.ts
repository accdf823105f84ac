import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import { collectTrace } from '@orka/nestjs/testing';
import { startApp, type RunningApp } from './support/app.js';
import { send, type Reply } from './support/http.js';

// 1,000 mixed requests at once (signups, VIP and standard orders, declined cards, invalid bodies),
// each made recognisable by what it sends (its email, customer id, quantities, an undeclared property
// named after it, a fault header on some). Every answer, and every record read back afterwards, must
// be the one of its own request: no run may see another one's context (N4, N5).

const TOTAL = 1_000;

let running: RunningApp;
let agent: Agent;

/**
 * As many sockets as there are requests, when the open-file limit leaves room for both ends of each
 * connection (both are in this process); fewer otherwise, the rest waiting for a free socket.
 */
function socketBudget(): number {
  let limit = 1_024;
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    limit = out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out) || limit;
  } catch {
    // keep the conservative default
  }
  return Math.max(64, Math.min(TOTAL, Math.floor((limit - 256) / 2)));
}

beforeAll(async () => {
  running = await startApp();
  // No keep-alive: a socket left idle while the machine is busy can be closed by the server just as it
  // is reused ("socket hang up"); a connection per request avoids that race.
  agent = new Agent({ keepAlive: false, maxSockets: socketBudget() });
});
afterAll(async () => {
  agent.destroy();
  await running.close();
});

const PRICES: Record<string, number> = { 'sku-1': 1_000, 'sku-2': 2_500 };

interface Item {
  sku: string;
  quantity: number;
}

type Planned =
  | { kind: 'signup'; i: number; email: string; planType: 'basic' | 'premium'; mailerFails: number }
  | { kind: 'signup-invalid'; i: number; extra: string }
  | { kind: 'order'; i: number; customerId: string; tier: 'vip' | 'standard'; items: Item[] }
  | { kind: 'order-declined'; i: number; customerId: string; tier: 'vip' | 'standard'; items: Item[] }
  | { kind: 'order-invalid'; i: number; customerId: string; extra: string };

function plan(i: number): Planned {
  const tier = i % 2 === 0 ? 'vip' : 'standard';
  const items = [
    { sku: 'sku-1', quantity: 1 + (i % 50) },
    { sku: 'sku-2', quantity: 1 + (i % 7) },
  ];
  switch (i % 7) {
    case 0:
    case 1:
      return {
        kind: 'signup',
        i,
        email: `Load-${i}@Example.com`,
        planType: i % 7 === 0 ? 'basic' : 'premium',
        mailerFails: i % 3 === 0 ? 1 : 0,
      };
    case 2:
      return { kind: 'signup-invalid', i, extra: `extra_signup_${i}` };
    case 3:
    case 4:
      return { kind: 'order', i, customerId: `cust-${i}`, tier, items };
    case 5:
      return { kind: 'order-declined', i, customerId: `cust-${i}`, tier, items };
    default:
      return { kind: 'order-invalid', i, customerId: `cust-${i}`, extra: `extra_order_${i}` };
  }
}

function fire(p: Planned): Promise<Reply> {
  const base = running.url;
  // 250 to 450 ms of gateway latency, varying per request: the app takes a millisecond or more per
  // request, so with less the runs would barely overlap; with this, many are in flight side by side
  // and finish out of order, for half a second more in all.
  const latency = { 'x-gateway-latency-ms': String(250 + (p.i % 5) * 50) };
  switch (p.kind) {
    case 'signup':
      return send(
        agent,
        base,
        'POST',
        '/users',
        { email: p.email, planType: p.planType },
        {
          'x-mailer-fail-times': String(p.mailerFails),
        },
      );
    case 'signup-invalid':
      return send(agent, base, 'POST', '/users', {
        email: `not-an-email-${p.i}`,
        planType: 'basic',
        [p.extra]: p.i,
      });
    case 'order':
      return send(
        agent,
        base,
        'POST',
        '/orders',
        { customerId: p.customerId, tier: p.tier, items: p.items, paymentMethod: 'card' },
        latency,
      );
    case 'order-declined':
      return send(
        agent,
        base,
        'POST',
        '/orders',
        { customerId: p.customerId, tier: p.tier, items: p.items, paymentMethod: 'declined-card' },
        latency,
      );
    case 'order-invalid':
      return send(agent, base, 'POST', '/orders', {
        customerId: p.customerId,
        tier: 'vip',
        items: [{ sku: 'sku-1', quantity: 0 }],
        paymentMethod: 'card',
        [p.extra]: true,
      });
  }
}

const totalOf = (items: Item[]) => items.reduce((sum, item) => sum + PRICES[item.sku]! * item.quantity, 0);

describe(`${TOTAL} concurrent mixed requests`, () => {
  const planned = Array.from({ length: TOTAL }, (_, i) => plan(i));
  let replies: Reply[];
  /** The most root runs in flight at one time, from the events of every run of the app. */
  let maxInFlight = 0;

  beforeAll(async () => {
    const trace = collectTrace(running.app);
    replies = await Promise.all(planned.map(fire));
    trace.stop();
    let inFlight = 0;
    for (const event of trace.events) {
      if (event.parentRunId !== undefined) continue;
      if (event.type === 'run.started') maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (event.type === 'run.finished') inFlight--;
    }
  }, 120_000);

  const pairs = <K extends Planned['kind']>(kind: K) =>
    planned
      .map((p, index) => [p, replies[index]!] as const)
      .filter((pair): pair is readonly [Extract<Planned, { kind: K }>, Reply] => pair[0].kind === kind);

  // How long they take is for `npm run bench`, not for a test: these machines are shared.
  it('all of them are answered', () => {
    expect(replies).toHaveLength(TOTAL);
  });

  it('the runs did overlap: several were in flight at the same time', () => {
    // Typically 50 to 150; fewer on a busy machine, which takes in requests more slowly.
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('N4 N5 each signup answers 201 with its own email, plan, provisioning branch and retry count', () => {
    const signups = pairs('signup');
    expect(signups.length).toBeGreaterThan(250);
    for (const [p, reply] of signups) {
      expect({ i: p.i, status: reply.status }).toEqual({ i: p.i, status: 201 });
      const body = reply.body as {
        userId: string;
        email: string;
        planType: string;
        provisioning: string;
        welcomeEmailSent: boolean;
        steps: { step: string; attempts: number; branch?: unknown }[];
      };
      expect(body.email).toBe(p.email.toLowerCase());
      expect(body.planType).toBe(p.planType);
      expect(body.provisioning).toBe(
        p.planType === 'premium'
          ? `premium: ws-${body.userId} with an account manager`
          : 'basic: shared workspace',
      );
      expect(body.welcomeEmailSent).toBe(true);
      expect(body.steps[2]).toMatchObject({
        step: 'determine_provisioning',
        branch: p.planType === 'premium' ? 0 : 'otherwise',
      });
      expect(body.steps[3]).toMatchObject({ step: 'send_welcome_email', attempts: p.mailerFails + 1 });
    }
  });

  it('N4 each invalid request answers 400 naming its own undeclared property, and only that one', () => {
    for (const kind of ['signup-invalid', 'order-invalid'] as const) {
      for (const [p, reply] of pairs(kind)) {
        expect({ i: p.i, status: reply.status }).toEqual({ i: p.i, status: 400 });
        const messages = (reply.body as { message: string[] }).message;
        expect(messages).toContain(`property ${p.extra} should not exist`);
        expect(messages.filter((m) => m.startsWith('property '))).toHaveLength(1);
        expect(messages).toContain(
          kind === 'signup-invalid' ? 'email must be an email' : 'items.0.quantity must not be less than 1',
        );
      }
    }
  });

  it('K6 N5 each order answers 201 with its own total, through the gateway of its own tier', () => {
    for (const [p, reply] of pairs('order')) {
      expect({ i: p.i, status: reply.status }).toEqual({ i: p.i, status: 201 });
      expect(reply.body).toMatchObject({
        status: 'confirmed',
        total: totalOf(p.items),
        gateway: p.tier === 'vip' ? 'gateway-x' : 'gateway-y',
      });
    }
  });

  it('N6 each declined order answers 402 from the gateway of its own tier', () => {
    for (const [p, reply] of pairs('order-declined')) {
      expect({ i: p.i, status: reply.status }).toEqual({ i: p.i, status: 402 });
      expect(reply.body).toMatchObject({
        error: 'PAYMENT_DECLINED',
        message: `The card was declined by ${p.tier === 'vip' ? 'gateway-x' : 'gateway-y'}.`,
        pipeline: 'checkout',
        step: 'process_payment',
      });
    }
  });

  it('every run has its own run id', () => {
    const runIds = replies
      .map((r) => (r.body as { runId?: string } | undefined)?.runId)
      .filter((id): id is string => id !== undefined);
    expect(runIds.length).toBe(
      pairs('signup').length + pairs('order').length + pairs('order-declined').length,
    );
    expect(new Set(runIds).size).toBe(runIds.length);
  });

  it('N4 each order read back (GET /orders/:id) holds its own customer, items, tier and run', async () => {
    const placed = pairs('order');
    const views = await Promise.all(
      placed.map(([, reply]) =>
        send(agent, running.url, 'GET', `/orders/${(reply.body as { orderId: string }).orderId}`),
      ),
    );
    placed.forEach(([p, reply], index) => {
      const body = reply.body as { orderId: string; runId: string; paymentId: string };
      expect(views[index]!.status).toBe(200);
      expect((views[index]!.body as { order: unknown }).order).toEqual({
        id: body.orderId,
        runId: body.runId,
        customerId: p.customerId,
        tier: p.tier,
        items: p.items,
        total: totalOf(p.items),
        status: 'confirmed',
        paymentId: body.paymentId,
        gateway: p.tier === 'vip' ? 'gateway-x' : 'gateway-y',
        inventoryReleased: false,
      });
    });
  });

  it('R3 N4 each declined order read back by its run id is its own, failed and released', async () => {
    const declined = pairs('order-declined');
    const views = await Promise.all(
      declined.map(([, reply]) =>
        send(agent, running.url, 'GET', `/orders/by-run/${(reply.body as { runId: string }).runId}`),
      ),
    );
    declined.forEach(([p], index) => {
      expect(views[index]!.status).toBe(200);
      expect((views[index]!.body as { order: unknown }).order).toMatchObject({
        customerId: p.customerId,
        tier: p.tier,
        items: p.items,
        status: 'failed',
        inventoryReleased: true,
      });
    });
  });

  it('R3 the stock adds up: what the confirmed orders bought is sold, nothing stays reserved', async () => {
    const confirmed = pairs('order');
    const sold = (sku: string) =>
      confirmed.reduce(
        (n, [p]) => n + p.items.filter((it) => it.sku === sku).reduce((m, it) => m + it.quantity, 0),
        0,
      );
    const anyOrder = (confirmed[0]![1].body as { orderId: string }).orderId;
    const view = await send(agent, running.url, 'GET', `/orders/${anyOrder}`);
    expect((view.body as { inventory: unknown }).inventory).toEqual({
      'sku-1': { available: 1_000_000 - sold('sku-1'), reserved: 0, sold: sold('sku-1'), heldByOrder: 0 },
      'sku-2': { available: 1_000_000 - sold('sku-2'), reserved: 0, sold: sold('sku-2'), heldByOrder: 0 },
    });
  });

  it("N4 the users and the mails are each signup's own: one user and one welcome mail per email", async () => {
    const signups = pairs('signup');
    const users = (await send(agent, running.url, 'GET', '/users')).body as {
      id: string;
      email: string;
      planType: string;
    }[];
    expect(users).toHaveLength(signups.length);
    const byEmail = new Map(users.map((u) => [u.email, u]));
    for (const [p, reply] of signups) {
      expect(byEmail.get(p.email.toLowerCase())).toMatchObject({
        id: (reply.body as { userId: string }).userId,
        planType: p.planType,
      });
    }
    const mails = (await send(agent, running.url, 'GET', '/mailbox')).body as {
      to: string;
      subject: string;
    }[];
    const welcomes = mails.filter((m) => m.subject === 'Welcome to the demo').map((m) => m.to);
    expect([...welcomes].sort()).toEqual(signups.map(([p]) => p.email.toLowerCase()).sort());
  });

  it('N4 each confirmed order notified its own customer about its own order', async () => {
    const mails = (await send(agent, running.url, 'GET', '/mailbox')).body as {
      to: string;
      subject: string;
    }[];
    const notices = mails.filter((m) => m.subject !== 'Welcome to the demo');
    const expected = pairs('order').map(
      ([p, reply]) =>
        `${p.customerId}@example.com: Order ${(reply.body as { orderId: string }).orderId} confirmed`,
    );
    expect(notices.map((m) => `${m.to}: ${m.subject}`).sort()).toEqual(expected.sort());
  });
});
