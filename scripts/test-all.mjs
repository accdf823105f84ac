// `npm test`: install (when needed), build, lint, typecheck, then every Jest suite in the workspace:
// each package's `test` script (unit tests, e2e), then each package's `test:smoke` script (checks of
// the built packages and their packed tarballs), then the compatibility suites (compat/*, see
// compat.mjs), then each package's `test` script again on Node 24 (see node24.mjs). Every Jest
// run writes its JSON report to .ci-results/jest/ (the Node 24 ones as *.node24.json). The last line
// printed is `N passed, N failed`, summed over those reports; the exit code is non-zero when any step
// failed.
//
// Options (quicker local loops; CI runs everything): --no-lint, --no-typecheck, --no-compat (skips the
// compatibility suites), --no-node24 (skips the Node 24 run). The Node 24 run is on by default, also in CI
// (CI=true); when its binary cannot be installed (no registry), that step fails.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative } from 'node:path';
import { compatReport, compatSuites, runCompat } from './compat.mjs';
import { ensureInstall } from './ensure-install.mjs';
import { packAll } from './pack.mjs';
import { NODE24_VERSION, ensureNode24 } from './node24.mjs';
import { pnpm, root, run, workspacePackages } from './workspace.mjs';

const started = performance.now();
const argv = new Set(process.argv.slice(2));
const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
const resultsDir = join(root, '.ci-results', 'jest');
const steps = [];
let passed = 0;
let failed = 0;

function skip(name, why) {
  console.log(`\n=== ${name}: skipped (${why})`);
  steps.push({ name, ok: true, skipped: true, seconds: 0 });
}

function step(name, fn) {
  console.log(`\n=== ${name}`);
  const started = performance.now();
  let ok;
  try {
    ok = fn();
  } catch (error) {
    console.error(error);
    ok = false;
  }
  const seconds = (performance.now() - started) / 1000;
  steps.push({ name, ok, seconds });
  if (!ok) console.log(`=== ${name}: FAILED`);
  return ok;
}

function binOf(pkg, bin) {
  const require = createRequire(join(root, 'package.json'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  return join(manifestPath, '..', rel);
}

function reportFile(pkg, script, suffix = '') {
  const safe = `${pkg.manifest.name.replace(/[@/]/g, '_').replace(/^_+/, '')}.${script.replace(/:/g, '_')}`;
  return join(resultsDir, `${safe}${suffix}.json`);
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

function jestRun(pkg, script) {
  const outputFile = reportFile(pkg, script);
  const code = pnpm(['--filter', pkg.manifest.name, 'run', script, '--json', `--outputFile=${outputFile}`]);
  return countReport(`${pkg.manifest.name} ${script}`, outputFile, code);
}

/**
 * Runs a package's script on another Node binary. A script of the form `node <args>` (every `test`
 * script here: `node --experimental-vm-modules node_modules/jest/bin/jest.js`) is started directly with
 * that binary; anything else goes through pnpm. Either way the binary's directory leads PATH, so any
 * `node` the tests start is that one too.
 */
function jestRunOn(binary, label, pkg, script) {
  const outputFile = reportFile(pkg, script, `.${label}`);
  const reportArgs = ['--json', `--outputFile=${outputFile}`];
  const env = { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}` };
  const command = pkg.manifest.scripts[script];
  const direct = /^node((\s+[^\s&|;<>()$`'"\\]+)*)\s*$/.exec(command);
  let code;
  if (direct) {
    const args = direct[1].trim().split(/\s+/).filter(Boolean);
    console.log(`$ ${relative(root, binary)} ${[...args, ...reportArgs].join(' ')}`);
    code = run(binary, [...args, ...reportArgs], { cwd: pkg.dir, env });
  } else {
    code = pnpm(['--filter', pkg.manifest.name, 'run', script, ...reportArgs], { env });
  }
  return countReport(`${pkg.manifest.name} ${script} (${label})`, outputFile, code);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

if (step('install', () => ensureInstall() === 0)) {
  // --no-bail: every package's build runs (and first deletes its dist), so no test below can pass
  // against a stale build left over from an earlier run.
  step('build', () => pnpm(['-r', '--no-bail', 'build']) === 0);
  // The tarballs as they would be published: the smoke tests check them, the Nest 11 suite installs them.
  step('pack', () => packAll().length > 0);
  if (!argv.has('--no-lint')) {
    step('lint', () => run(process.execPath, [binOf('eslint', 'eslint'), '.']) === 0);
  }
  if (!argv.has('--no-typecheck')) {
    step('typecheck', () => pnpm(['-r', '--no-bail', 'typecheck']) === 0);
  }
  const packages = workspacePackages();
  for (const script of ['test', 'test:smoke']) {
    for (const pkg of packages) {
      if (pkg.manifest.scripts?.[script]) step(`${pkg.manifest.name} ${script}`, () => jestRun(pkg, script));
    }
  }

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
    for (const pkg of packages) {
      if (!pkg.manifest.scripts?.test) continue;
      const name = `${pkg.manifest.name} test (node24)`;
      if (installed) step(name, () => jestRunOn(node24, 'node24', pkg, 'test'));
      else skip(name, 'no Node 24 binary');
    }
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
