// `npm test`: install (when needed), build, lint, typecheck, then every Jest suite in the workspace:
// each package's `test` script (unit tests, e2e), then each package's `test:smoke` script (checks of
// the built packages). Every Jest run writes its JSON report to .ci-results/jest/. The last line printed
// is `N passed, N failed`, summed over those reports; the exit code is non-zero when any step failed.
//
// Options: --no-lint, --no-typecheck (quicker local loops; CI runs everything).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { ensureInstall } from './ensure-install.mjs';
import { pnpm, root, run, workspacePackages } from './workspace.mjs';

const argv = new Set(process.argv.slice(2));
const resultsDir = join(root, '.ci-results', 'jest');
const steps = [];
let passed = 0;
let failed = 0;

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

function jestRun(pkg, script) {
  const safe = `${pkg.manifest.name.replace(/[@/]/g, '_').replace(/^_+/, '')}.${script.replace(/:/g, '_')}`;
  const outputFile = join(resultsDir, `${safe}.json`);
  const code = pnpm(['--filter', pkg.manifest.name, 'run', script, '--json', `--outputFile=${outputFile}`]);
  if (!existsSync(outputFile)) {
    console.error(`${relative(root, outputFile)} was not written: the Jest run did not complete`);
    return false;
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  console.log(
    `${pkg.manifest.name} ${script}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
      (report.numRuntimeErrorTestSuites
        ? `, ${report.numRuntimeErrorTestSuites} suite(s) failed to run`
        : ''),
  );
  return code === 0 && report.success === true;
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

if (step('install', () => ensureInstall() === 0)) {
  // --no-bail: every package's build runs (and first deletes its dist), so no test below can pass
  // against a stale build left over from an earlier run.
  step('build', () => pnpm(['-r', '--no-bail', 'build']) === 0);
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
}

console.log('\n=== summary');
for (const { name, ok, seconds } of steps) {
  console.log(`${ok ? 'ok    ' : 'FAILED'} ${name.padEnd(32)} ${seconds.toFixed(1).padStart(6)} s`);
}
const failedSteps = steps.filter((s) => !s.ok).map((s) => s.name);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failedSteps.length > 0 || failed > 0 ? 1 : 0;
