// `npm test`: install (when needed), build, pack, lint, typecheck, then the test runs:
//   - the workspace run: one Jest run over the projects of jest.config.js (the kernel, the plugin, the
//     sample app's e2e suite over real HTTP, the docs checks);
//   - the smoke run: one Jest run over jest.smoke.config.js (the built packages, and their tarballs as
//     published);
//   - the compatibility suites (compat/*, see compat.mjs): Nest 11 in CommonJS, Nest 12 in ESM, each a
//     plain npm app installing the packed tarballs;
//   - the workspace run again on Node 24 (see node24.mjs).
// Every Jest run writes its JSON report to .ci-results/jest/. The last line printed is `N passed, N
// failed`, summed over those reports; the exit code is non-zero when any step failed.
//
// Options (quicker local loops; CI runs everything): --no-lint, --no-typecheck, --no-compat (skips the
// compatibility suites), --no-node24 (skips the Node 24 run). The Node 24 run is on by default, also in CI
// (CI=true); when its binary cannot be installed (no registry), that step fails.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { compatReport, compatSuites, runCompat } from './compat.mjs';
import { ensureInstall } from './ensure-install.mjs';
import { NODE24_VERSION, ensureNode24 } from './node24.mjs';
import { packAll } from './pack.mjs';
import { pnpm, root, run } from './workspace.mjs';

const started = performance.now();
const argv = new Set(process.argv.slice(2));
const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
const resultsDir = join(root, '.ci-results', 'jest');
const bin = (...path) => join(root, 'node_modules', ...path);
const steps = [];
let passed = 0;
let failed = 0;

function skip(name, why) {
  console.log(`\n=== ${name}: skipped (${why})`);
  steps.push({ name, ok: true, skipped: true, seconds: 0 });
}

function step(name, fn) {
  console.log(`\n=== ${name}`);
  const begun = performance.now();
  let ok;
  try {
    ok = fn();
  } catch (error) {
    console.error(error);
    ok = false;
  }
  const seconds = (performance.now() - begun) / 1000;
  steps.push({ name, ok, seconds });
  if (!ok) console.log(`=== ${name}: FAILED`);
  return ok;
}

/** Adds a Jest JSON report to the totals; true when the run and every suite in it passed. */
function countReport(label, outputFile, code) {
  if (!existsSync(outputFile)) {
    console.error(`${relative(root, outputFile)} was not written: the Jest run did not complete`);
    return false;
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  console.log(
    `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
      (report.numRuntimeErrorTestSuites
        ? `, ${report.numRuntimeErrorTestSuites} suite(s) failed to run`
        : ''),
  );
  return code === 0 && report.success === true;
}

/** One Jest run of a root configuration on a Node binary, its report counted. */
function jestRun(label, config, node = process.execPath) {
  const outputFile = join(resultsDir, `${label.replace(/[^\w.-]+/g, '-')}.json`);
  // The binary's folder leads PATH, so that any `node` the tests start is that one too.
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const args = ['--experimental-vm-modules', bin('jest', 'bin', 'jest.js'), '--config', config];
  const code = run(node, [...args, '--json', `--outputFile=${outputFile}`], { env });
  return countReport(label, outputFile, code);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

if (step('install', () => ensureInstall() === 0)) {
  // --no-bail: every package's build runs (and first deletes its dist), so no test below can pass
  // against a stale build left over from an earlier run.
  step('build', () => pnpm(['-r', '--no-bail', 'build']) === 0);
  // The tarballs as they would be published: the smoke run checks them, the compatibility suites install them.
  step('pack', () => packAll().length > 0);
  if (!argv.has('--no-lint')) {
    step('lint', () => run(process.execPath, [bin('eslint', 'bin', 'eslint.js'), '.']) === 0);
    step(
      'lint: import circles',
      () =>
        run(process.execPath, [
          bin('dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
          'packages',
          '--config',
          '.dependency-cruiser.cjs',
        ]) === 0,
    );
  }
  if (!argv.has('--no-typecheck')) step('typecheck', () => pnpm(['-r', '--no-bail', 'typecheck']) === 0);

  step('workspace tests', () => jestRun('workspace', 'jest.config.js'));
  step('smoke tests (built packages)', () => jestRun('smoke', 'jest.smoke.config.js'));

  for (const suite of compatSuites) {
    const compatStep = `compat ${suite}`;
    if (argv.has('--no-compat')) skip(compatStep, '--no-compat');
    else step(compatStep, () => countReport(compatStep, compatReport(suite), runCompat(suite)));
  }

  const node24Step = `node ${NODE24_VERSION}`;
  if (argv.has('--no-node24')) {
    skip(node24Step, ci ? '--no-node24, although CI is set' : '--no-node24');
  } else {
    let node24;
    const installed = step(node24Step, () => {
      try {
        node24 = ensureNode24();
        return true;
      } catch (error) {
        console.error(
          `\n!!! Node 24 is not available, so the suites cannot run on it: ${error instanceof Error ? error.message : String(error)}` +
            `\n!!! This step fails rather than being skipped. Locally, --no-node24 skips the Node 24 run.\n`,
        );
        return false;
      }
    });
    const name = 'workspace tests (node24)';
    if (installed) step(name, () => jestRun('workspace.node24', 'jest.config.js', node24));
    else skip(name, 'no Node 24 binary');
  }
}

console.log('\n=== summary');
for (const { name, ok, skipped, seconds } of steps) {
  const status = skipped ? 'skip  ' : ok ? 'ok    ' : 'FAILED';
  console.log(`${status} ${name.padEnd(32)} ${seconds.toFixed(1).padStart(6)} s`);
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
const failedSteps = steps.filter((s) => !s.ok).map((s) => s.name);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failedSteps.length > 0 || failed > 0 ? 1 : 0;
