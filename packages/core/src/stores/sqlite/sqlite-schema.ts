import { storeProblem, type SqliteDatabase } from './sqlite-driver.js';

/** What marks a database as an Orka run store, in its `orka_meta` table. */
const MARK = 'orka-run-store';

/**
 * The schema, one migration per version: a store opens a database of an older version by running the
 * migrations it lacks, in one transaction; it refuses one of a newer version.
 */
const migrations: string[] = [
  // 1: runs, their committed entries, their signals.
  `CREATE TABLE orka_runs (
     run_id TEXT PRIMARY KEY,
     pipeline TEXT NOT NULL,
     version TEXT,
     definition_hash TEXT NOT NULL,
     status TEXT NOT NULL,
     context TEXT NOT NULL,
     parent_run_id TEXT,
     idempotency_key TEXT UNIQUE,
     owner TEXT,
     lease_until INTEGER,
     fence INTEGER NOT NULL,
     wait TEXT,
     wait_signal TEXT,
     wake_at INTEGER,
     cancel_requested TEXT,
     error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     seq INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX orka_runs_page ON orka_runs (created_at DESC, run_id DESC);
   CREATE INDEX orka_runs_status ON orka_runs (status, lease_until);
   CREATE INDEX orka_runs_wake ON orka_runs (status, wake_at);
   CREATE TABLE orka_steps (
     run_id TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data TEXT NOT NULL,
     frame TEXT,
     context TEXT,
     PRIMARY KEY (run_id, key)
   );
   CREATE TABLE orka_signals (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL,
     name TEXT NOT NULL,
     payload TEXT NOT NULL,
     dedupe_key TEXT,
     consumed_by TEXT,
     at INTEGER NOT NULL
   );
   CREATE INDEX orka_signals_run ON orka_signals (run_id, name, consumed_by);
   CREATE UNIQUE INDEX orka_signals_dedupe ON orka_signals (run_id, dedupe_key) WHERE dedupe_key IS NOT NULL;`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = migrations.length;

function fail(path: string, problem: string): never {
  throw storeProblem(`The SQLite file ${path} ${problem}`);
}

/** Creates the schema in a new file, migrates an older one, and refuses a file that is not an Orka store. */
export function migrate(db: SqliteDatabase, path: string): void {
  let tables: string[];
  try {
    tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()
      .map((r) => String(r.name));
  } catch (err) {
    fail(
      path,
      `cannot be read as an SQLite database (${err instanceof Error ? err.message : String(err)}): point the store at a file of its own.`,
    );
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    let version = 0;
    if (tables.includes('orka_meta')) {
      const mark = db.prepare(`SELECT value FROM orka_meta WHERE key = 'schema'`).get()?.value;
      if (mark !== MARK) fail(path, `has an orka_meta table that is not an Orka run store's.`);
      version = Number(db.prepare(`SELECT value FROM orka_meta WHERE key = 'version'`).get()?.value ?? 0);
    } else if (tables.filter((t) => !t.startsWith('sqlite_')).length > 0) {
      fail(
        path,
        `already holds other tables (${tables.join(', ')}) and is not an Orka run store: point the store at a file of its own.`,
      );
    } else {
      db.exec(`CREATE TABLE orka_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      db.prepare(`INSERT INTO orka_meta (key, value) VALUES ('schema', ?), ('version', '0')`).run(MARK);
    }
    if (version > SCHEMA_VERSION)
      fail(
        path,
        `was written by a newer Orka (schema ${version}; this one knows ${SCHEMA_VERSION}): upgrade @orka/core.`,
      );
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(migrations[v]!);
    db.prepare(`UPDATE orka_meta SET value = ? WHERE key = 'version'`).run(String(SCHEMA_VERSION));
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
