// The store a child runs on, from ORKA_STORE: `sqlite:<path>` or `postgres:<url>#<schema>`.
export async function openStore(spec) {
  if (spec.startsWith('sqlite:')) {
    const { SqliteRunStore } = await import('@orka/core/sqlite');
    return new SqliteRunStore({ path: spec.slice('sqlite:'.length) });
  }
  if (spec.startsWith('postgres:')) {
    const { PostgresRunStore } = await import('@orka/postgres');
    const [connectionString, schema] = spec.slice('postgres:'.length).split('#');
    return new PostgresRunStore({ connectionString, schema, max: Number(process.env.ORKA_PG_POOL ?? 4) });
  }
  throw new Error(`ORKA_STORE must be sqlite:<path> or postgres:<url>#<schema>, not ${spec}`);
}
