import { join, resolve } from 'node:path';
import { MemoryRunStore, type RunnerRole, type RunStore, type RunTransport } from '@orka/nestjs';

/** Where the demo keeps durable runs, and the state of its fake shop beside them. */
export interface DemoPersistence {
  store: RunStore;
  /** The folder of the shop's own state files; undefined when everything stays in memory. */
  dataDir: string | undefined;
  /** What to print: `sqlite .orka/runs.db`, `memory`, `postgres 127.0.0.1:5432/test`. */
  label: string;
  /** With `ORKA_TRANSPORT=bullmq`: the queue to the workers, and this process's part (`ORKA_ROLE`). */
  transport?: { transport: RunTransport; role: RunnerRole; label: string };
}

/** The sample app's own folder (src/persistence/.. or dist/persistence/..). */
const appDir = join(import.meta.dirname, '..', '..');

/**
 * The run store `ORKA_STORE` names: `memory`, `sqlite:<path>` (relative to the sample app's folder),
 * or a `postgres://` URL (its tables in the schema `ORKA_PG_SCHEMA`, `orka` by default). By default an SQLite file under `sample-app/.orka/` on a Node that has
 * node:sqlite (22.13 or later), else memory. `ORKA_DATA_DIR` moves the shop's state files.
 */
export async function persistenceFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DemoPersistence> {
  const persistence = await storeFromEnv(env);
  if (env.ORKA_TRANSPORT === undefined || env.ORKA_TRANSPORT === 'none') return persistence;
  if (env.ORKA_TRANSPORT !== 'bullmq')
    throw new Error(`ORKA_TRANSPORT must be bullmq (or none), not ${JSON.stringify(env.ORKA_TRANSPORT)}.`);
  if (!persistence.label.startsWith('postgres'))
    throw new Error(
      'ORKA_TRANSPORT=bullmq runs checkouts on worker processes, which need a store they all share: set ORKA_STORE=postgres://...',
    );
  const redis = new URL(env.ORKA_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const { BullMqTransport } = await import('@orka/bullmq');
  const role = (env.ORKA_ROLE ?? 'client') as RunnerRole;
  const transport = new BullMqTransport({
    connection: { host: redis.hostname, port: Number(redis.port || 6379) },
    prefix: env.ORKA_QUEUE_PREFIX ?? 'orka-sample',
    lockDurationMs: 5_000,
  });
  return { ...persistence, transport: { transport, role, label: `bullmq ${redis.host} (${role})` } };
}

async function storeFromEnv(env: NodeJS.ProcessEnv): Promise<DemoPersistence> {
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
