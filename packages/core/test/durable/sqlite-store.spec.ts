import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrkaConfigurationError } from '../../src/index.js';
import { SqliteRunStore } from '../../src/stores/sqlite/index.js';
import { checkRunStore } from '../../src/testing/index.js';

// node:sqlite is built into Node 22.13 and later. The workspace's suites run on Node 24 (the store's
// behaviour) and on Node 20 (the clear refusal a user of an older Node gets).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasSqlite = major > 22 || (major === 22 && minor >= 13);

const folder = () => mkdtempSync(join(tmpdir(), 'orka-sqlite-'));

describe('SqliteRunStore', () => {
  if (!hasSqlite) {
    it('on a Node without node:sqlite, the constructor says which Node it needs and what to use instead', () => {
      const make = () => new SqliteRunStore({ path: join(folder(), 'runs.db') });
      expect(make).toThrow(OrkaConfigurationError);
      expect(make).toThrow(/needs Node 22\.13 or later.*MemoryRunStore.*PostgresRunStore/s);
    });
    return;
  }

  it('passes checkRunStore, on a file', async () => {
    const dir = folder();
    let n = 0;
    try {
      await checkRunStore(() => new SqliteRunStore({ path: join(dir, `runs-${++n}.db`) }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes checkRunStore with synchronous full, all checks on one file', async () => {
    const dir = folder();
    try {
      await checkRunStore(() => new SqliteRunStore({ path: join(dir, 'runs.db'), synchronous: 'full' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps runs across a close and a reopen, and two stores on one file see each other', async () => {
    const dir = folder();
    const path = join(dir, 'nested', 'runs.db');
    try {
      const a = new SqliteRunStore({ path });
      await a.open();
      await a.create({ runId: 'r1', pipeline: 'p', definitionHash: 'h', context: '{"n":1}', now: 1 });
      const b = new SqliteRunStore({ path });
      await b.open();
      expect((await b.load('r1'))?.run.context).toBe('{"n":1}');
      await a.close();
      await b.create({ runId: 'r2', pipeline: 'p', definitionHash: 'h', context: '{}', now: 2 });
      await b.close();
      const again = new SqliteRunStore({ path });
      await again.open();
      expect((await again.list({})).runs.map((r) => r.runId)).toEqual(['r2', 'r1']);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits that arrive together all land, each on its own terms (one refused does not sink the others)', async () => {
    const store = new SqliteRunStore({ path: ':memory:' });
    await store.open();
    const runs = Array.from({ length: 50 }, (_, i) => `run-${i}`);
    await Promise.all(
      runs.map((runId) =>
        store.create({
          runId,
          pipeline: 'p',
          definitionHash: 'h',
          context: '{}',
          owner: 'me',
          leaseMs: 1e6,
          now: 1,
        }),
      ),
    );
    const results = await Promise.all(
      runs.map((runId, i) =>
        store.commit(
          runId,
          { owner: 'me', fence: i === 7 ? 99 : 1 },
          { steps: [{ key: 'a', data: '1' }], now: 2 },
        ),
      ),
    );
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(results[7]!.ok).toBe(false);
    const loaded = await Promise.all(runs.map((r) => store.load(r)));
    expect(loaded.map((l) => l!.steps.length)).toEqual(runs.map((_, i) => (i === 7 ? 0 : 1)));
    await store.close();
  });

  it('refuses a file that is not an Orka store, with a message naming it', async () => {
    const dir = folder();
    try {
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not a database at all, just some text that is long enough to be read as a header');
      await expect(new SqliteRunStore({ path: text }).open()).rejects.toThrow(
        /notes\.txt.*cannot be read as an SQLite database/s,
      );
      const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as unknown as {
        DatabaseSync: new (path: string) => { exec(sql: string): void; close(): void };
      };
      const other = join(dir, 'other.db');
      const db = new DatabaseSync(other);
      db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
      db.close();
      await expect(new SqliteRunStore({ path: other }).open()).rejects.toThrow(
        /other\.db already holds other tables \(invoices\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
