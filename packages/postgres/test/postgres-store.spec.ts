import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrkaConfigurationError } from '@orka/core';
import { checkRunStore } from '@orka/core/testing';
import pg from 'pg';
import { ensurePostgres, type TestService } from '../../../scripts/services/test-services.mjs';
import { PostgresRunStore } from '../src/index.js';

let server: TestService;
let admin: pg.Pool;
const schemas: string[] = [];
/** A schema of its own for each store under test, dropped after the file. */
const freshSchema = () => {
  const name = `orka_test_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(name);
  return name;
};

beforeAll(async () => {
  server = await ensurePostgres();
  admin = new pg.Pool({ connectionString: server.url, max: 2 });
});

afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await admin.end();
  await server.stop();
});

describe('PostgresRunStore', () => {
  it('passes checkRunStore, each check on a fresh schema', async () => {
    await checkRunStore(() => new PostgresRunStore({ connectionString: server.url, schema: freshSchema() }));
  });

  it('passes checkRunStore with every check on one shared schema', async () => {
    const schema = freshSchema();
    await checkRunStore(() => new PostgresRunStore({ connectionString: server.url, schema }));
  });

  it('migrates safely from several processes opening a new schema at once', async () => {
    const schema = freshSchema();
    const stores = Array.from(
      { length: 6 },
      () => new PostgresRunStore({ connectionString: server.url, schema, max: 2 }),
    );
    await Promise.all(stores.map((s) => s.open()));
    await stores[0]!.create({ runId: 'r', pipeline: 'p', definitionHash: 'h', context: '{}', now: 1 });
    for (const s of stores) expect((await s.load('r'))?.run.pipeline).toBe('p');
    await Promise.all(stores.map((s) => s.close()));
    const versions = await admin.query(`SELECT value FROM ${schema}.orka_meta WHERE key = 'version'`);
    expect(versions.rows).toEqual([{ value: '1' }]);
  });

  it('refuses a schema whose orka_meta is not an Orka store, and names the schema', async () => {
    const schema = freshSchema();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.orka_meta (key text PRIMARY KEY, value text NOT NULL)`);
    await admin.query(`INSERT INTO ${schema}.orka_meta VALUES ('schema', 'something else')`);
    const store = new PostgresRunStore({ connectionString: server.url, schema });
    await expect(store.open()).rejects.toThrow(OrkaConfigurationError);
    await expect(store.open()).rejects.toThrow(new RegExp(`schema ${schema} has an orka_meta table`));
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PostgresRunStore({ connectionString: server.url, schema: 'x; DROP TABLE y' })).toThrow(
      /not a plain lower-case SQL identifier/,
    );
  });

  it('uses a pool it is given, and leaves it open at close', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    const store = new PostgresRunStore({ pool, schema: freshSchema() });
    await store.open();
    await store.create({ runId: 'r', pipeline: 'p', definitionHash: 'h', context: '{}', now: 1 });
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });
});
