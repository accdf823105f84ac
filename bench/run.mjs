// `npm run bench` (root) runs this: installs the workspace when needed, builds @orka/core and
// @orka/nestjs when a build is missing or older than its sources, compiles the benchmarks, then runs
// them (dist/main.js) with the arguments given after `--`, e.g. `npm run bench -- --quick`.
// `--no-build` skips the builds and measures whatever is built.
import { rmSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from '../scripts/ensure-install.mjs';
import { pnpm, root, run } from '../scripts/workspace.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function buildIfStale(name, dir) {
  const outputs = ['dist/esm/index.js', 'dist/cjs/index.js'].map((f) => join(root, dir, f));
  const built = outputs.every((f) => existsSync(f))
    ? Math.min(...outputs.map((f) => statSync(f).mtimeMs))
    : 0;
  if (built > newest(join(root, dir, 'src'))) return 0;
  console.error(`bench: building ${name} (${built === 0 ? 'no build' : 'sources changed since the build'})`);
  return pnpm(['--filter', name, 'run', 'build']);
}

function main() {
  if (ensureInstall() !== 0) return 1;
  if (!args.includes('--no-build')) {
    for (const [name, dir] of [
      ['@orka/core', 'packages/core'],
      ['@orka/nestjs', 'packages/nestjs'],
    ]) {
      if (buildIfStale(name, dir) !== 0) return 1;
    }
  }
  rmSync(join(benchDir, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(join(benchDir, 'package.json')).resolve('typescript/bin/tsc');
  if (run(process.execPath, [tsc, '-p', join(benchDir, 'tsconfig.build.json')]) !== 0) return 1;
  return run(process.execPath, [
    join(benchDir, 'dist', 'main.js'),
    ...args.filter((a) => a !== '--no-build'),
  ]);
}

process.exitCode = main();
