/**
 * `@orka/core/sqlite`: `SqliteRunStore`, the embedded run store for durable runs, on Node's built-in
 * `node:sqlite` (Node 22.13 or later). No dependency.
 */
export { SqliteRunStore, type SqliteRunStoreOptions } from './sqlite-run-store.js';
