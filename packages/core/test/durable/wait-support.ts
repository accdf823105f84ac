import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryRunStore, type RunStore } from '../../src/index.js';
import { SqliteRunStore } from '../../src/stores/sqlite/index.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** Node 22.13 and later have node:sqlite. */
export const hasSqlite = major > 22 || (major === 22 && minor >= 13);

/**
 * The stores the wait rules are pinned on: in memory, and (where node:sqlite exists) an SQLite file
 * that every runner of a test opens anew, as processes after a restart do.
 */
export const storesUnderTest: [string, () => () => RunStore][] = [
  [
    'MemoryRunStore',
    () => {
      const store = new MemoryRunStore();
      return () => store;
    },
  ],
  ...(hasSqlite
    ? ([
        [
          'SqliteRunStore',
          () => {
            const path = join(mkdtempSync(join(tmpdir(), 'orka-waits-')), 'runs.db');
            return () => new SqliteRunStore({ path });
          },
        ],
      ] as [string, () => () => RunStore][])
    : []),
];

/** Resolves once `check` holds, looking again every few milliseconds (a wait on state, not on time). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
}
