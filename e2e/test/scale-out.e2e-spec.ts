import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { ensureRedis, type TestService } from '../../scripts/services/test-services.mjs';
import { DurableApp, call } from './support/durable-app.js';

// S1 S2 S3 over real HTTP: the sample app as a client (ORKA_TRANSPORT=bullmq) and two worker processes
// (npm run start:worker) on one PostgreSQL and one Redis; a worker killed with SIGKILL during a payment.

jest.setTimeout(90_000);

let redis: TestService;
let app: DurableApp;

const order = (customerId: string, items = [{ sku: 'sku-1', quantity: 1 }]) => ({
  customerId,
  tier: 'vip',
  items,
  paymentMethod: 'card',
});

afterAll(async () => {
  await app?.dispose();
  await redis?.stop();
});

describe('the sample app scaled out: an HTTP client and two workers', () => {
  it('S1 S2 S3 orders run on the workers; one killed mid-payment loses nothing; an approval wakes a run on a worker', async () => {
    redis = await ensureRedis();
    app = new DurableApp(
      {
        ORKA_TRANSPORT: 'bullmq',
        ORKA_REDIS_URL: redis.url,
        ORKA_QUEUE_PREFIX: `orka-e2e-${process.pid}-${Date.now().toString(36)}`,
      },
      true,
    );
    const first = await app.worker();
    const second = await app.worker();
    const { base } = await app.boot();

    const placed = await call(base, 'POST', '/orders', order('c-scaled'));
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'confirmed', gateway: 'gateway-x' });

    // A slow payment, and the worker that runs it killed: the other worker finishes it, charged once.
    const slow = call(base, 'POST', '/orders', order('c-killed'), {
      'x-gateway-latency-ms': '1500',
      'idempotency-key': 'scaled-1',
    });
    let runId: string | undefined;
    for (;;) {
      const page = (await call(base, 'GET', '/runs?pipeline=checkout&status=running')).body as {
        runs: { runId: string; idempotencyKey?: string; owner?: string }[];
      };
      const run = page.runs.find((r) => r.idempotencyKey === 'scaled-1' && r.owner !== undefined);
      if (run) {
        runId = run.runId;
        // The workers are named after their pid: kill the one whose name the run's lease shows.
        const pid = Number(/(\d+)$/.exec(run.owner!)?.[1]);
        const victim = [first, second].find((w) => w.child.pid === pid)!;
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const done = await slow;
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'confirmed', runId });
    const charges = (await call(base, 'GET', '/payments')).body as { idempotencyKey: string }[];
    expect(charges.filter((c) => c.idempotencyKey.startsWith(`${runId}:`))).toHaveLength(1);

    // An order that waits for approval holds no worker; the approval wakes it on one.
    const big = order('c-big', [
      { sku: 'sku-2', quantity: 100 },
      { sku: 'sku-2', quantity: 100 },
      { sku: 'sku-1', quantity: 1 },
    ]);
    const waiting = (await call(base, 'POST', '/orders', big)).body as { runId: string };
    const approved = await call(base, 'POST', `/orders/${waiting.runId}/approval`, {
      approved: true,
      by: 'ops',
    });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ status: 'confirmed', approvedBy: 'ops' });
  });
});
