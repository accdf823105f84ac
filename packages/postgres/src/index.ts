/**
 * `@orka/postgres`: `PostgresRunStore`, the production run store of Orka's durable runs, on
 * PostgreSQL through `pg` (a peer dependency).
 */
export { PostgresRunStore, type PostgresRunStoreOptions } from './postgres-run-store.js';
