import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStore } from '@orka/core';
import { ensurePostgres, type TestService } from '../../../scripts/services/test-services.mjs';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** node:sqlite is there (Node 22.13 and later): the suite runs on an SQLite file; else on PostgreSQL. */
export const onSqlite = major > 22 || (major === 22 && minor >= 13);

const children = join(import.meta.dirname, '..', '..', 'children');
const built = join(import.meta.dirname, '..', '..', '..', 'packages', 'core', 'dist', 'esm', 'index.js');

/** A line a child printed. */
export type Line = { event: string; [field: string]: unknown };

/** A child process and what it printed so far. */
export interface Child {
  pid: number;
  /** The exit code, once it has exited; null while it runs. */
  readonly exitCode: number | null;
  lines: Line[];
  /** Resolves with the first line that matches (rejects when the child exits first). */
  line(match: (line: Line) => boolean): Promise<Line>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `children/<script>` on the built packages with `env` added. */
export function startChild(script: string, env: Record<string, string>): Child {
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first (npm test does).`);
  const proc = spawn(process.execPath, [join(children, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const waiting: { match: (l: Line) => boolean; resolve: (l: Line) => void; reject: (e: Error) => void }[] =
    [];
  let stderr = '';
  let buffer = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
      const text = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        line = { event: 'text', text };
      }
      lines.push(line);
      for (const w of waiting.filter((w) => w.match(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      proc.once('exit', (code, signal) => {
        for (const w of waiting.splice(0))
          w.reject(
            new Error(`child ${script} exited (${code ?? signal}) before the line; stderr:\n${stderr}`),
          );
        resolve({ code, signal, stderr });
      }),
  );
  return {
    pid: proc.pid!,
    get exitCode() {
      return proc.exitCode ?? (proc.signalCode !== null ? -1 : null);
    },
    lines,
    exit,
    kill: (signal) => proc.kill(signal),
    line(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      if (proc.exitCode !== null || proc.signalCode !== null)
        return Promise.reject(new Error(`child ${script} has exited; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => waiting.push({ match, resolve, reject }));
    },
  };
}

/** Runs a child to its end; fails with its stderr when it does not exit 0. */
export async function runChild(script: string, env: Record<string, string>): Promise<Line[]> {
  const child = startChild(script, env);
  const { code, signal, stderr } = await child.exit;
  if (code !== 0) throw new Error(`child ${script} ended with ${code ?? signal}; stderr:\n${stderr}`);
  return child.lines;
}

/** A run store for one test: a file in a temporary folder, or a fresh schema on PostgreSQL. */
export interface StoreUnderTest {
  /** What a child's ORKA_STORE says. */
  spec: string;
  /** The same store, opened in the test process, to look at what the children committed. */
  open(): Promise<RunStore>;
  dir: string;
  dispose(): Promise<void>;
}

let postgres: TestService | undefined;
let schemas = 0;

export async function storeUnderTest(label: string): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), `orka-durability-${label}-`));
  if (onSqlite) {
    const path = join(dir, 'runs.db');
    const { SqliteRunStore } = await import('@orka/core/sqlite');
    return {
      spec: `sqlite:${path}`,
      dir,
      open: async () => {
        const store = new SqliteRunStore({ path });
        await store.open();
        return store;
      },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  postgres ??= await ensurePostgres();
  const url = postgres.url;
  const schema = `orka_durability_${label.replace(/\W/g, '_')}_${process.pid}_${(++schemas).toString(36)}`;
  const { PostgresRunStore } = await import('@orka/postgres');
  return {
    spec: `postgres:${url}#${schema}`,
    dir,
    open: async () => {
      const store = new PostgresRunStore({ connectionString: url, schema, max: 2 });
      await store.open();
      return store;
    },
    dispose: async () => {
      const pg = (await import('pg')).default;
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stops a PostgreSQL the harness started itself (none when one was already there). */
export async function stopServices(): Promise<void> {
  await postgres?.stop();
  postgres = undefined;
}

/** The lines of a child's ledger file (`calls` or `effects`). */
export function ledgerOf(
  dir: string,
  file: 'calls' | 'effects',
): { key: string; what: string; pid: number }[] {
  const path = join(dir, `${file}.jsonl`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string; what: string; pid: number });
}
