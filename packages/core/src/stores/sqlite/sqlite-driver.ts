import { OrkaConfigurationError } from '../../errors/configuration-error.js';

// The part of Node's built-in `node:sqlite` that the store uses, typed here: the workspace's type
// definitions are Node 20's, which has no node:sqlite.

/** A row as node:sqlite returns it. */
export type SqliteRow = Record<string, string | number | bigint | null | Uint8Array>;

/** A prepared statement. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): SqliteRow | undefined;
  all(...params: unknown[]): SqliteRow[];
}

/** An open database (`DatabaseSync`). */
export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
  readonly isTransaction: boolean;
}

/** A problem of the store's set-up (its Node, its file), as the configuration error it is. */
export function storeProblem(message: string): OrkaConfigurationError {
  return new OrkaConfigurationError([message], 'SqliteRunStore', [{ kind: 'run-store', message }]);
}

/** The oldest Node whose node:sqlite needs no flag. */
export const SQLITE_NODE = '22.13';

function atLeast(version: string, minimum: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [x = 0, y = 0] = minimum.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/**
 * Opens a database file with node:sqlite; throws a clear `OrkaConfigurationError` on a Node without it.
 * Loaded on first use, so that importing the store on Node 20 costs nothing until it is constructed.
 */
export function openSqlite(path: string, timeoutMs: number): SqliteDatabase {
  const node = process.versions.node;
  const sqlite = atLeast(node, SQLITE_NODE)
    ? (process.getBuiltinModule?.('node:sqlite') as
        { DatabaseSync: new (path: string, options: object) => SqliteDatabase } | undefined)
    : undefined;
  if (sqlite === undefined) {
    const message =
      `SqliteRunStore needs Node ${SQLITE_NODE} or later (the built-in node:sqlite); this is Node ${node}. ` +
      `Upgrade Node, or use MemoryRunStore (no persistence) or PostgresRunStore from @orka/postgres.`;
    throw storeProblem(message);
  }
  return new sqlite.DatabaseSync(path, { timeout: timeoutMs });
}
