// The Nest 11 (CommonJS) compatibility suite: compat/nest11 is a plain npm project, outside the pnpm
// workspace, shaped like a Nest 11 user's app (no "type": "module", Jest in CommonJS mode through
// ts-jest, exactly one copy of Nest: 11). It gets @orka/core and @orka/nestjs the way a user does: as
// the packed tarballs (`pnpm pack` rewrites `workspace:*` to real versions), installed by npm.
//
// Steps: pack both packages into compat/nest11/.tarballs/; `npm ci` when package.json or
// package-lock.json changed since the last one (recorded in node_modules/.orka-compat-stamp, so re-runs
// skip it); `npm install --no-save` of the tarballs; Jest with its JSON report written to
// .ci-results/jest/compat-nest11.json. Tests are compat/nest11/test/**/*.spec.ts: a new spec file is
// picked up as it is.
//
// `npm run test:compat` (or `node scripts/compat-nest11.mjs [jest args]`) builds the two packages first;
// `npm test` runs it after the workspace suites (test-all.mjs), on the build it just made.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';
import { pnpm, root, run } from './workspace.mjs';

export const compatDir = join(root, 'compat', 'nest11');
export const compatReport = join(root, '.ci-results', 'jest', 'compat-nest11.json');

/** The workspace packages installed into the compat app, in dependency order. */
const packed = [
  { name: '@orka/core', dir: join(root, 'packages', 'core') },
  { name: '@orka/nestjs', dir: join(root, 'packages', 'nestjs') },
];

const tarballDir = join(compatDir, '.tarballs');
const nodeModules = join(compatDir, 'node_modules');
const stamp = join(nodeModules, '.orka-compat-stamp');

const npm = (args) => run('npm', [...args, '--no-audit', '--no-fund'], { cwd: compatDir });

/** Identifies the dependency set `npm ci` installed: the manifest, the lockfile and the Node major. */
function dependencyFingerprint() {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(compatDir, file)));
  hash.update(process.versions.node.split('.')[0]);
  return hash.digest('hex');
}

function pack() {
  for (const { dir } of packed) {
    if (!existsSync(join(dir, 'dist'))) {
      console.error(`compat-nest11: ${relative(root, dir)}/dist is missing; build first (npm run build)`);
      return [];
    }
  }
  rmSync(tarballDir, { recursive: true, force: true });
  mkdirSync(tarballDir, { recursive: true });
  const filters = packed.flatMap(({ name }) => ['--filter', name]);
  const code = pnpm(['-r', ...filters, 'pack', '--pack-destination', tarballDir, '--silent']);
  const tarballs = existsSync(tarballDir) ? readdirSync(tarballDir).filter((f) => f.endsWith('.tgz')) : [];
  if (code !== 0 || tarballs.length !== packed.length) {
    console.error(`compat-nest11: pnpm pack exited ${code} and wrote ${tarballs.length} tarball(s)`);
    return [];
  }
  console.log(`compat-nest11: packed ${tarballs.join(', ')}`);
  return tarballs.map((file) => join(tarballDir, file));
}

function installDependencies() {
  const fingerprint = dependencyFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === fingerprint) return 0;
  console.log('compat-nest11: npm ci (package.json or package-lock.json changed, or a first install)');
  const code = npm(['ci']);
  if (code === 0) writeFileSync(stamp, `${fingerprint}\n`);
  return code;
}

function installTarballs(tarballs) {
  // The tarballs keep their names (orka-core-0.1.0.tgz) from one build to the next: remove the
  // installed copies so npm unpacks the new ones rather than keeping what it installed last time.
  for (const { name } of packed)
    rmSync(join(nodeModules, ...name.split('/')), { recursive: true, force: true });
  return npm(['install', '--no-save', '--prefer-offline', ...tarballs.map((t) => relative(compatDir, t))]);
}

/**
 * Packs, installs and runs the suite; returns the Jest exit code (1 when a step before Jest failed).
 * The JSON report is at `compatReport` when Jest ran.
 * @param {{ jestArgs?: string[] }} [options]
 */
export function runCompatNest11({ jestArgs = [] } = {}) {
  rmSync(compatReport, { force: true });
  const tarballs = pack();
  if (tarballs.length === 0) return 1;
  if (installDependencies() !== 0) {
    console.error('compat-nest11: npm ci failed');
    return 1;
  }
  if (installTarballs(tarballs) !== 0) {
    console.error('compat-nest11: npm install of the packed tarballs failed');
    return 1;
  }
  mkdirSync(join(compatReport, '..'), { recursive: true });
  const jest = join(nodeModules, 'jest', 'bin', 'jest.js');
  return run(process.execPath, [jest, '--json', `--outputFile=${compatReport}`, ...jestArgs], {
    cwd: compatDir,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let code = ensureInstall();
  if (code === 0) code = pnpm(['-r', ...packed.flatMap(({ name }) => ['--filter', name]), 'build']);
  if (code === 0) code = runCompatNest11({ jestArgs: process.argv.slice(2) });
  process.exitCode = code;
}
