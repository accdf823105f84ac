import type { RunStore } from '@orka/core';

/** A store from `sqlite-normal:<path>`, `sqlite-full:<path>`, `postgres:<url>#<schema>` or `memory`. */
export async function openBenchStore(spec: string): Promise<RunStore> {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? spec : spec.slice(0, colon);
  const rest = colon === -1 ? '' : spec.slice(colon + 1);
  if (kind === 'memory') return new (await import('@orka/core')).MemoryRunStore();
  if (kind === 'sqlite-normal' || kind === 'sqlite-full') {
    const { SqliteRunStore } = await import('@orka/core/sqlite');
    return new SqliteRunStore({ path: rest, synchronous: kind === 'sqlite-full' ? 'full' : 'normal' });
  }
  if (kind === 'postgres') {
    const { PostgresRunStore } = await import('@orka/postgres');
    const [connectionString, schema] = rest.split('#') as [string, string];
    return new PostgresRunStore({ connectionString, schema, max: 16 });
  }
  throw new Error(`unknown bench store ${spec}`);
}
