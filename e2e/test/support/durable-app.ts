import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePostgres, type TestService } from '../../../scripts/services/test-services.mjs';
import { freePort, startMain, workerJs, type MainProcess } from './main-process.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const onSqlite = major > 22 || (major === 22 && minor >= 13);

/**
 * The built sample app (node dist/main.js) on a real store that outlives its processes: an SQLite file
 * on Node 22.13 and later, else PostgreSQL (a schema of its own); the shop's files in a folder of
 * their own. `boot()` starts a process on it; `dispose()` kills what is left and removes it all.
 */
export class DurableApp {
  private readonly dir = mkdtempSync(join(tmpdir(), 'orka-e2e-durable-'));
  private readonly running: MainProcess[] = [];
  private postgres: TestService | undefined;
  private storeEnv: Record<string, string> | undefined;

  constructor(
    private readonly env: Record<string, string> = {},
    /** PostgreSQL whatever the Node (the store of a scale-out, which every process shares). */
    private readonly postgresOnly = false,
  ) {}

  /** Starts a worker of the sample app (dist/worker.js) on the same store and files. */
  async worker(extra: Record<string, string> = {}): Promise<MainProcess> {
    this.storeEnv ??= await this.store();
    const main = startMain(
      { ORKA_DATA_DIR: join(this.dir, 'shop'), ...this.storeEnv, ...this.env, ...extra },
      workerJs,
    );
    this.running.push(main);
    await main.waitFor(/Orka worker \d+ runs checkouts/);
    return main;
  }

  async boot(extra: Record<string, string> = {}): Promise<{ main: MainProcess; base: string }> {
    this.storeEnv ??= await this.store();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const main = startMain({
      PORT: String(port),
      HOST: '127.0.0.1',
      ORKA_DATA_DIR: join(this.dir, 'shop'),
      ...this.storeEnv,
      ...this.env,
      ...extra,
    });
    this.running.push(main);
    await main.waitFor(/listening on/);
    return { main, base };
  }

  async dispose(): Promise<void> {
    for (const main of this.running)
      if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill('SIGKILL');
    if (this.postgres && this.storeEnv) {
      const pg = (await import('pg')).default;
      const pool = new pg.Pool({ connectionString: this.postgres.url, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${this.storeEnv.ORKA_PG_SCHEMA} CASCADE`);
      await pool.end();
      await this.postgres.stop();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async store(): Promise<Record<string, string>> {
    if (onSqlite && !this.postgresOnly) return { ORKA_STORE: `sqlite:${join(this.dir, 'runs.db')}` };
    this.postgres = await ensurePostgres();
    const schema = `orka_e2e_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    return { ORKA_STORE: this.postgres.url, ORKA_PG_SCHEMA: schema };
  }
}

/** What `call` answers. */
export interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  body: unknown;
}

/** A JSON request to the app. */
export async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as unknown };
}
