// `npm run bench` (root) runs this: installs the workspace when needed, builds @orka/core and
// @orka/nestjs when their sources changed since their last build, compiles the benchmarks, then runs
// them (dist/main.js) with the arguments given after `--`, e.g. `npm run bench -- --quick`.
// `--no-build` skips the builds and measures whatever is built.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfChanged } from '../scripts/build-if-changed.mjs';
import { ensureInstall } from '../scripts/ensure-install.mjs';
import { run } from '../scripts/workspace.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

function main() {
  if (ensureInstall() !== 0) return 1;
  if (!args.includes('--no-build')) {
    if (buildIfChanged('@orka/nestjs') !== 0) return 1;
    if (buildIfChanged('@orka/postgres') !== 0) return 1;
    if (buildIfChanged('@orka/bullmq') !== 0) return 1;
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
