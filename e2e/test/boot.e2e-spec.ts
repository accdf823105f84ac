import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, startMain, type Exit, type MainProcess } from './support/main-process.js';

// The real entry point: `node sample-app/dist/main.js`, the built app on the built packages, started
// as `npm start` starts it (this file needs the build: `npm run build`, which `npm test` runs first).

let main: MainProcess;
let base: string;

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  main = startMain({ PORT: String(port), HOST: '127.0.0.1' });
  await main.waitFor(new RegExp(`listening on ${base.replace(/\./g, '\\.')}`));
}, 60_000);

afterAll(() => {
  if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGKILL');
});

describe('node sample-app/dist/main.js', () => {
  it('logs that it listens on the HOST and PORT it was given', () => {
    expect(main.output()).toContain(`Orka sample app listening on ${base}`);
  });

  it('serves GET /pipelines', async () => {
    const res = await fetch(`${base}/pipelines`);
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { name: string }[]).map((p) => p.name).sort();
    expect(names).toEqual(['basic_provisioning', 'checkout', 'onboarding', 'premium_provisioning']);
  });

  it('N6 runs a signup, then maps the duplicate to 409 USER_EXISTS (the built plugin and app)', async () => {
    const first = await postJson('/users', { email: 'boot@example.com', planType: 'premium' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ email: 'boot@example.com', welcomeEmailSent: true });
    const again = await postJson('/users', { email: 'boot@example.com', planType: 'basic' });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      statusCode: 409,
      error: 'USER_EXISTS',
      message: 'A user with email boot@example.com already exists.',
      pipeline: 'onboarding',
      step: 'create_user_account',
      runId: expect.stringMatching(/^\S+$/),
    });
  });

  // Last: these end the process.
  describe('on SIGTERM while an order is in flight', () => {
    let slowOrder: Promise<Response>;
    let refused: { status: number; body: unknown } | undefined;
    let exit: Exit;

    beforeAll(async () => {
      // A checkout that spends 1.5 s at the gateway.
      slowOrder = postJson(
        '/orders',
        {
          customerId: 'c-shutdown',
          tier: 'vip',
          items: [{ sku: 'sku-1', quantity: 1 }],
          paymentMethod: 'card',
        },
        { 'x-gateway-latency-ms': '1500' },
      );
      // Signal only once the order's run is in flight: its order exists, still pending.
      for (;;) {
        const orders = (await (await fetch(`${base}/orders`)).json()) as { customerId: string }[];
        if (orders.some((o) => o.customerId === 'c-shutdown')) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      main.child.kill('SIGTERM');
      // New runs are refused from the moment the runner starts shutting down; try until one is.
      for (let i = 0; refused === undefined; i++) {
        const res = await postJson('/users', { email: `late-${i}@example.com`, planType: 'basic' }).catch(
          () => undefined,
        );
        if (res === undefined) break;
        if (res.status !== 201) refused = { status: res.status, body: await res.json() };
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      exit = await main.exited;
    }, 60_000);

    it('N9 the run in flight finishes: its order is confirmed', async () => {
      const res = await slowOrder;
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'confirmed', gateway: 'gateway-x' });
    });

    it('N9 N6 a run started during the shutdown is refused: 503 ORKA_SHUTDOWN', () => {
      expect(refused).toEqual({
        status: 503,
        body: { statusCode: 503, error: 'ORKA_SHUTDOWN', message: expect.stringContaining('shutting down') },
      });
    });

    it('N9 the process ends after SIGTERM without an error logged', () => {
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(main.output()).not.toMatch(/\bERROR\b/);
    });

    // main.ts enables the shutdown hooks with { useProcessExit: true }: without it, Nest re-raises the
    // signal after closing and the process dies by it (status 143 in a shell).
    it('N9 the process exits with code 0', () => {
      expect(exit).toEqual({ code: 0, signal: null });
    });
  });
});
