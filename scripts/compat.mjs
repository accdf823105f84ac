// The compatibility suites: plain npm projects under compat/, outside the pnpm workspace, each shaped
// like a user's app, that get @orka/core and @orka/nestjs the way a user does: the tarballs packed by
// scripts/pack.mjs (`pnpm pack` rewrites `workspace:*` to real versions), installed by npm.
//
//   compat/nest11      a Nest 11 app in CommonJS, tested with CommonJS Jest through ts-jest
//   compat/nest12-esm  a Nest 12 app in ESM, tested with ts-jest in ESM mode (the README's Jest set-up)
//
// Per suite: `npm ci` when its package.json or package-lock.json changed since its last one (their hash
// is kept in node_modules/.orka-compat-hash, so re-runs skip it); `npm install --no-save` of the
// tarballs; Jest with its JSON report written to .ci-results/jest/compat-<suite>.json. A new spec file
// under compat/<suite>/test/ is picked up as it is.
//
// `npm run test:compat [-- <suite>]` builds and packs first; `npm test` runs the suites after the
// workspace suites, on the build and the tarballs it just made.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';
import { packAll, publishedPackages, tarballOf } from './pack.mjs';
import { pnpm, root, run } from './workspace.mjs';

/** Every compatibility suite, by the name of its folder under compat/. */
export const compatSuites = ['nest11', 'nest12-esm'];

/** Where a suite's Jest writes its JSON report. */
export const compatReport = (suite) => join(root, '.ci-results', 'jest', `compat-${suite}.json`);

/** Identifies the dependency set `npm ci` installed: the manifest, the lockfile and the Node major. */
function dependencyFingerprint(dir) {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(dir, file)));
  hash.update(process.versions.node.split('.')[0]);
  return hash.digest('hex');
}

function installDependencies(suite, dir, npm) {
  const stamp = join(dir, 'node_modules', '.orka-compat-hash');
  const fingerprint = dependencyFingerprint(dir);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === fingerprint) return 0;
  console.log(`compat ${suite}: npm ci (package.json or package-lock.json changed, or a first install)`);
  const code = npm(['ci']);
  if (code === 0) writeFileSync(stamp, `${fingerprint}\n`);
  return code;
}

/**
 * Installs the packed tarballs into compat/<suite> and runs its Jest; returns the Jest exit code (1 when
 * a step before Jest failed). The JSON report is at `compatReport(suite)` when Jest ran.
 * @param {string} suite
 * @param {{ jestArgs?: string[] }} [options]
 */
export function runCompat(suite, { jestArgs = [] } = {}) {
  const dir = join(root, 'compat', suite);
  const report = compatReport(suite);
  const npm = (args) => run('npm', [...args, '--no-audit', '--no-fund'], { cwd: dir });
  rmSync(report, { force: true });
  // The suites check the kernel and the plugin on other Nest versions; the store and transport packages
  // (and their peers pg and bullmq) are not theirs to install.
  const tested = publishedPackages.filter(({ name }) => name === '@orka/core' || name === '@orka/nestjs');
  const tarballs = tested.map(({ dir: pkgDir }) => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    return tarballOf(manifest.name, manifest.version);
  });
  const missing = tarballs.filter((t) => !existsSync(t));
  if (missing.length > 0) {
    console.error(
      `compat ${suite}: ${missing.map((t) => relative(root, t)).join(', ')} missing; run node scripts/pack.mjs`,
    );
    return 1;
  }
  if (installDependencies(suite, dir, npm) !== 0) {
    console.error(`compat ${suite}: npm ci failed`);
    return 1;
  }
  // The tarballs keep their names (orka-core-0.1.0.tgz) from one build to the next: remove the
  // installed copies so npm unpacks the new ones rather than keeping what it installed last time.
  for (const { name } of tested)
    rmSync(join(dir, 'node_modules', ...name.split('/')), { recursive: true, force: true });
  if (npm(['install', '--no-save', '--prefer-offline', ...tarballs.map((t) => relative(dir, t))]) !== 0) {
    console.error(`compat ${suite}: npm install of the packed tarballs failed`);
    return 1;
  }
  mkdirSync(join(report, '..'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const esm = manifest.type === 'module';
  const jest = join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
  return run(
    process.execPath,
    [...(esm ? ['--experimental-vm-modules'] : []), jest, '--json', `--outputFile=${report}`, ...jestArgs],
    {
      cwd: dir,
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const asked = process.argv.slice(2).filter((a) => compatSuites.includes(a));
  const jestArgs = process.argv.slice(2).filter((a) => !compatSuites.includes(a));
  let code = ensureInstall();
  if (code === 0)
    code = pnpm(['-r', ...publishedPackages.flatMap(({ name }) => ['--filter', name]), 'build']);
  if (code === 0) code = packAll().length > 0 ? 0 : 1;
  for (const suite of asked.length > 0 ? asked : compatSuites) {
    if (code === 0) code = runCompat(suite, { jestArgs });
  }
  process.exitCode = code;
}
