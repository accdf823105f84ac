import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, read, root } from './repository.mjs';

// The shape docs/architecture.md describes: small files, small folders, and an import-circle rule that
// does catch a circle (type-only imports included).

const sourceDirs = readdirSync(join(root, 'packages'))
  .map((p) => `packages/${p}/src`)
  .filter((d) => existsSync(join(root, d)));

describe('the source folders', () => {
  it('no source file of a package is over 250 lines', () => {
    const long = sourceDirs
      .flatMap((d) => filesUnder(d, /\.ts$/))
      .map((f) => ({ f, lines: read(f).split('\n').length }))
      .filter(({ lines }) => lines > 250)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('no source folder of a package holds more than 12 files', () => {
    const crowded = [];
    const visit = (dir) => {
      const entries = readdirSync(join(root, dir));
      const files = entries.filter((e) => statSync(join(root, dir, e)).isFile());
      if (files.length > 12) crowded.push(`${dir}: ${files.length} files`);
      for (const e of entries) if (statSync(join(root, dir, e)).isDirectory()) visit(`${dir}/${e}`);
    };
    sourceDirs.forEach(visit);
    expect(crowded).toEqual([]);
  });
});

describe('the import-circle rule of npm run lint', () => {
  it('reports a circle made only of type imports, as it reports any circle', () => {
    const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const fixture = 'docs/test/fixtures/planted-circle';
    const run = spawnSync(process.execPath, [depcruise, fixture, '--config', '.dependency-cruiser.cjs'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/no-circular: docs\/test\/fixtures\/planted-circle\/(a|b)\.ts/);
  });
});
