import { OrkaConfigurationError } from '@orka/core';
import type { PoolClient } from 'pg';

/** What marks a schema's `orka_meta` table as an Orka run store's. */
const MARK = 'orka-run-store';

/** The schema, one migration per version; `%s` stands for the store's schema name. */
const migrations: string[] = [
  // 1: runs, their committed entries, their signals.
  `CREATE TABLE %s.orka_runs (
     run_id text PRIMARY KEY,
     pipeline text NOT NULL,
     version text,
     definition_hash text NOT NULL,
     status text NOT NULL,
     context text NOT NULL,
     parent_run_id text,
     idempotency_key text UNIQUE,
     owner text,
     lease_until bigint,
     fence bigint NOT NULL,
     wait text,
     wait_signal text,
     wake_at bigint,
     cancel_requested text,
     error text,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL,
     seq bigint NOT NULL DEFAULT 0
   );
   CREATE INDEX orka_runs_page ON %s.orka_runs (created_at DESC, run_id DESC);
   CREATE INDEX orka_runs_lease ON %s.orka_runs (status, lease_until);
   CREATE INDEX orka_runs_wake ON %s.orka_runs (status, wake_at);
   CREATE TABLE %s.orka_steps (
     run_id text NOT NULL,
     key text NOT NULL,
     seq bigint NOT NULL,
     data text NOT NULL,
     frame text,
     context text,
     PRIMARY KEY (run_id, key)
   );
   CREATE TABLE %s.orka_signals (
     id bigserial PRIMARY KEY,
     run_id text NOT NULL,
     name text NOT NULL,
     payload text NOT NULL,
     dedupe_key text,
     consumed_by text,
     at bigint NOT NULL
   );
   CREATE INDEX orka_signals_open ON %s.orka_signals (run_id, name) WHERE consumed_by IS NULL;
   CREATE UNIQUE INDEX orka_signals_dedupe ON %s.orka_signals (run_id, dedupe_key) WHERE dedupe_key IS NOT NULL;`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = migrations.length;

/** A problem of the store's set-up, as the configuration error it is. */
export function storeProblem(message: string): OrkaConfigurationError {
  return new OrkaConfigurationError([message], 'PostgresRunStore', [{ kind: 'run-store', message }]);
}

/**
 * Creates the tables in a new schema, migrates an older one, refuses one of a newer version. Safe to
 * run from several processes at once: a transaction-scoped advisory lock on the schema's name lets one
 * migrate while the others wait, and find the work done.
 */
export async function migrate(client: PoolClient, schema: string): Promise<void> {
  const q = (sql: string) => sql.replaceAll('%s', schema);
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`orka-run-store:${schema}`]);
    await client.query(q(`CREATE SCHEMA IF NOT EXISTS %s`));
    await client.query(
      q(`CREATE TABLE IF NOT EXISTS %s.orka_meta (key text PRIMARY KEY, value text NOT NULL)`),
    );
    const rows = (
      await client.query<{ key: string; value: string }>(q(`SELECT key, value FROM %s.orka_meta`))
    ).rows;
    const meta = new Map(rows.map((r) => [r.key, r.value]));
    if (meta.size === 0) {
      await client.query(q(`INSERT INTO %s.orka_meta (key, value) VALUES ('schema', $1), ('version', '0')`), [
        MARK,
      ]);
    } else if (meta.get('schema') !== MARK) {
      throw storeProblem(
        `the schema ${schema} has an orka_meta table that is not an Orka run store's: give the store a schema of its own.`,
      );
    }
    const version = Number(meta.get('version') ?? 0);
    if (version > SCHEMA_VERSION) {
      throw storeProblem(
        `the schema ${schema} was written by a newer Orka (schema ${version}; this one knows ${SCHEMA_VERSION}): upgrade @orka/postgres.`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) await client.query(q(migrations[v]!));
    await client.query(q(`UPDATE %s.orka_meta SET value = $1 WHERE key = 'version'`), [
      String(SCHEMA_VERSION),
    ]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
