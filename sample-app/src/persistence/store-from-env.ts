import { join, resolve } from 'node:path';
import { MemoryRunStore, type RunStore } from '@orka/nestjs';

/** Where the demo keeps durable runs, and the state of its fake shop beside them. */
export interface DemoPersistence {
  store: RunStore;
  /** The folder of the shop's own state files; undefined when everything stays in memory. */
  dataDir: string | undefined;
  /** What to print: `sqlite .orka/runs.db`, `memory`, `postgres 127.0.0.1:5432/test`. */
  label: string;
}

/** The sample app's own folder (src/persistence/.. or dist/persistence/..). */
const appDir = join(import.meta.dirname, '..', '..');

/**
 * The run store `ORKA_STORE` names: `memory`, `sqlite:<path>` (relative to the sample app's folder),
 * or a `postgres://` URL (its tables in the schema `ORKA_PG_SCHEMA`, `orka` by default). By default an SQLite file under `sample-app/.orka/` on a Node that has
 * node:sqlite (22.13 or later), else memory. `ORKA_DATA_DIR` moves the shop's state files.
 */
export async function persistenceFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DemoPersistence> {
  const spec = env.ORKA_STORE ?? (hasSqlite() ? 'sqlite:.orka/runs.db' : 'memory');
  const dataDir = env.ORKA_DATA_DIR ?? join(appDir, '.orka');
  if (spec === 'memory') return { store: new MemoryRunStore(), dataDir: undefined, label: 'memory' };
  if (spec.startsWith('sqlite:')) {
    const path = resolve(appDir, spec.slice('sqlite:'.length));
    const { SqliteRunStore } = await import('@orka/core/sqlite');
    return { store: new SqliteRunStore({ path }), dataDir, label: `sqlite ${path}` };
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresRunStore } = await import('@orka/postgres');
    const url = new URL(spec);
    const schema = env.ORKA_PG_SCHEMA ?? 'orka';
    return {
      store: new PostgresRunStore({ connectionString: spec, schema }),
      dataDir,
      label: `postgres ${url.host}${url.pathname} (schema ${schema})`,
    };
  }
  throw new Error(
    `ORKA_STORE must be memory, sqlite:<path> or a postgres:// URL, not ${JSON.stringify(spec)}.`,
  );
}

function hasSqlite(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 13);
}
