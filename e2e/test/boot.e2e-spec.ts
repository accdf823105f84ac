import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

// The real entry point: `node sample-app/dist/main.js`, the built app on the built packages, started
// as `npm start` starts it (this file needs the build: `npm run build`, which `npm test` runs first).

const mainJs = join(import.meta.dirname, '..', '..', 'sample-app', 'dist', 'main.js');

/** A port nothing listens on right now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

let child: ChildProcess | undefined;
let output = '';
let base: string;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/** Resolves once the output has a line matching `pattern`; rejects after `ms` or if the process exits. */
function waitForOutput(pattern: RegExp, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(stripAnsi(output))) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 20);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} within ${ms} ms; the output was:\n${stripAnsi(output)}`));
    }, ms).unref();
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      reject(new Error(`the app exited (${code ?? signal}) before ${pattern}:\n${stripAnsi(output)}`));
    });
    check();
  });
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  if (!existsSync(mainJs)) {
    throw new Error(`${mainJs} is missing: build the workspace first (npm run build at the root).`);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', GATEWAY_LATENCY_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = child;
  started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  exited = new Promise((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
  await waitForOutput(new RegExp(`listening on ${base.replace(/\./g, '\\.')}`), 15_000);
}, 20_000);

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('node sample-app/dist/main.js', () => {
  it('logs that it listens on the HOST and PORT it was given', () => {
    expect(stripAnsi(output)).toContain(`Orka sample app listening on ${base}`);
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
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    let exitMs: number;

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
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalled = performance.now();
      child!.kill('SIGTERM');
      // New runs are refused from the moment the runner starts shutting down; try until one is.
      for (let i = 0; i < 40 && refused === undefined; i++) {
        const res = await postJson('/users', { email: `late-${i}@example.com`, planType: 'basic' }).catch(
          () => undefined,
        );
        if (res && res.status !== 201) refused = { status: res.status, body: await res.json() };
        else await new Promise((resolve) => setTimeout(resolve, 25));
      }
      exit = await Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`still running 8 s after SIGTERM:\n${output}`)), 8_000).unref(),
        ),
      ]);
      exitMs = performance.now() - signalled;
    }, 15_000);

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

    it('N9 the process ends within a few seconds of SIGTERM, without an error logged', () => {
      expect(exitMs).toBeLessThan(5_000);
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(stripAnsi(output)).not.toMatch(/\bERROR\b/);
    });

    // main.ts enables the shutdown hooks with { useProcessExit: true }: without it, Nest re-raises the
    // signal after closing and the process dies by it (status 143 in a shell).
    it('N9 the process exits with code 0', () => {
      expect(exit).toEqual({ code: 0, signal: null });
    });
  });
});
