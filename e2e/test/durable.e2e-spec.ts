import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePostgres, type TestService } from '../../scripts/services/test-services.mjs';
import { freePort, startMain, type MainProcess } from './support/main-process.js';

// D1 D2 over HTTP, as the README's demonstration does it: the built sample app (node dist/main.js) on
// a real store, killed with SIGKILL while a checkout's payment is in flight, started again: the
// checkout completes, charged once. On Node 22.13 and later the store is an SQLite file; on older
// Node (no node:sqlite), PostgreSQL.

jest.setTimeout(60_000);

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const onSqlite = major > 22 || (major === 22 && minor >= 13);

let dir: string;
let postgres: TestService | undefined;
let storeEnv: Record<string, string>;
const running: MainProcess[] = [];

async function boot(): Promise<{ main: MainProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const main = startMain({
    PORT: String(port),
    HOST: '127.0.0.1',
    ORKA_DATA_DIR: join(dir, 'shop'),
    ...storeEnv,
  });
  running.push(main);
  await main.waitFor(/listening on/);
  return { main, base };
}

const order = {
  customerId: 'c-kill',
  tier: 'vip',
  items: [{ sku: 'sku-2', quantity: 1 }],
  paymentMethod: 'card',
};
const post = (base: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: JSON.stringify(order),
  });
const json = async (base: string, path: string) => (await fetch(`${base}${path}`)).json() as Promise<unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orka-e2e-durable-'));
  if (onSqlite) storeEnv = { ORKA_STORE: `sqlite:${join(dir, 'runs.db')}` };
  else {
    postgres = await ensurePostgres();
    storeEnv = {
      ORKA_STORE: postgres.url,
      ORKA_PG_SCHEMA: `orka_e2e_${process.pid}_${Date.now().toString(36)}`,
    };
  }
});

afterAll(async () => {
  for (const main of running)
    if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGKILL');
  if (postgres) {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${storeEnv.ORKA_PG_SCHEMA} CASCADE`);
    await pool.end();
    await postgres.stop();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a durable checkout over HTTP', () => {
  it('D1 the same Idempotency-Key twice is one order and one charge: the second answer is the first run', async () => {
    const { main, base } = await boot();
    const first = await post(base, 'order-twice');
    const second = await post(base, 'order-twice');
    if (first.status !== 201) throw new Error(`${first.status} ${await first.text()}\n${main.output()}`);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as { runId: string; orderId: string }[];
    expect(b).toEqual(a);
    const charges = (await json(base, '/payments')) as { idempotencyKey: string }[];
    expect(charges.filter((c) => c.idempotencyKey.startsWith(`${a.runId}:`))).toHaveLength(1);
    const snapshot = (await json(base, `/runs/${a.runId}`)) as { status: string; steps: { step: string }[] };
    expect(snapshot.status).toBe('completed');
    expect(snapshot.steps.map((s) => s.step)).toEqual([
      'validate_cart',
      'reserve_inventory',
      'approval',
      'process_payment',
      'confirm_order',
      'notify',
    ]);
    main.child.kill('SIGTERM');
    await main.exited;
  });

  it('D2 killed with SIGKILL during the payment, the restarted app completes the checkout, charged once', async () => {
    const killed = await boot();
    // A slow payment (1.5 s, within the step's 2 s budget): the checkout is in flight when the app dies.
    const inFlight = post(killed.base, 'order-42', { 'x-gateway-latency-ms': '1500' }).catch(
      () => 'connection lost',
    );
    let runId: string | undefined;
    for (;;) {
      const page = (await json(killed.base, '/runs?pipeline=checkout&status=running')) as {
        runs: { runId: string; idempotencyKey?: string }[];
      };
      const run = page.runs.find((r) => r.idempotencyKey === 'order-42');
      if (run) {
        const snapshot = (await json(killed.base, `/runs/${run.runId}`)) as { steps: { step: string }[] };
        if (snapshot.steps.some((s) => s.step === 'reserve_inventory')) {
          runId = run.runId;
          break;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    killed.main.child.kill('SIGKILL');
    expect((await killed.main.exited).signal).toBe('SIGKILL');
    expect(await inFlight).toBe('connection lost');

    const { main, base } = await boot();
    // The client asks again with its key, and gets the first run's answer once it has finished.
    const again = await post(base, 'order-42');
    expect(again.status).toBe(201);
    const body = (await again.json()) as {
      runId: string;
      orderId: string;
      status: string;
      paymentId: string;
    };
    expect(body).toMatchObject({ runId, status: 'confirmed' });
    const snapshot = (await json(base, `/runs/${runId}`)) as {
      status: string;
      steps: { step: string; status: string }[];
    };
    expect(snapshot.status).toBe('completed');
    expect(snapshot.steps.map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'skipped',
      'completed',
      'completed',
      'completed',
    ]);
    const charges = (await json(base, '/payments')) as { idempotencyKey: string; paymentId: string }[];
    const ofRun = charges.filter((c) => c.idempotencyKey.startsWith(`${runId}:`));
    expect(ofRun).toEqual([expect.objectContaining({ paymentId: body.paymentId })]);
    const { order: placed } = (await json(base, `/orders/${body.orderId}`)) as { order: { status: string } };
    expect(placed.status).toBe('confirmed');
    main.child.kill('SIGTERM');
    await main.exited;
  });
});
