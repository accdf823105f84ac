// Smoke checks for a workspace package's BUILT output, shared by every package's smoke spec.
//
// For each entry of the package's "exports" map (".", "./otel", "./testing", ...; not "./package.json")
// it loads the entry the way a consumer would, in a fresh `node` process, once with require() and once
// with import(), using the package's own name (Node resolves a package's own name from inside it
// through its exports map). Each check throws (node:assert) when it fails, so a spec can simply do:
//
//   it.each(dualPackageChecks(packageDir))('$title', ({ run }) => run());
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cjsProbe = `
const specifier = process.argv[1];
const mod = require(specifier);
console.log(JSON.stringify({ resolved: require.resolve(specifier), keys: Object.keys(mod).sort() }));
`;

const esmProbe = `
import { fileURLToPath } from 'node:url';
const specifier = process.argv[1];
const mod = await import(specifier);
console.log(JSON.stringify({ resolved: fileURLToPath(import.meta.resolve(specifier)), keys: Object.keys(mod).sort() }));
`;

function probe(packageDir, specifier, kind) {
  const args = kind === 'esm' ? ['--input-type=module', '-e', esmProbe] : ['-e', cjsProbe];
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [...args, specifier], {
      cwd: packageDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const stderr = String(error.stderr ?? '').trim();
    throw new Error(
      `${kind === 'esm' ? 'import' : 'require'}('${specifier}') failed (did the build run?)\n${stderr}`,
    );
  }
  return JSON.parse(stdout.trim().split('\n').pop());
}

function lazy(fn) {
  let done = false;
  let value;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

/**
 * @param {string | URL} packageDirOrUrl
 * @param {{ expectedExports?: Record<string, string[]> }} [options]
 * @returns {{ title: string, run: () => void }[]}
 */
export function dualPackageChecks(packageDirOrUrl, options = {}) {
  const packageDir =
    packageDirOrUrl instanceof URL || String(packageDirOrUrl).startsWith('file:')
      ? fileURLToPath(packageDirOrUrl)
      : String(packageDirOrUrl);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const { name, exports: exportsMap = {} } = manifest;
  const entries = Object.entries(exportsMap).filter(
    ([subpath]) => subpath !== './package.json' && !subpath.includes('*'),
  );
  const checks = [
    {
      title: `${name}: has an exports map with "." and "./package.json"`,
      run() {
        assert.ok(
          entries.some(([subpath]) => subpath === '.'),
          'exports["."] is missing',
        );
        assert.equal(exportsMap['./package.json'], './package.json');
      },
    },
  ];
  for (const [subpath, target] of entries) {
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    const cjs = lazy(() => probe(packageDir, specifier, 'cjs'));
    const esm = lazy(() => probe(packageDir, specifier, 'esm'));
    checks.push(
      {
        title: `${specifier}: the require condition loads the CommonJS build`,
        run() {
          assert.equal(
            cjs().resolved,
            resolve(packageDir, target?.require?.default ?? '<no require.default>'),
          );
        },
      },
      {
        title: `${specifier}: the import condition loads the ESM build`,
        run() {
          assert.equal(esm().resolved, resolve(packageDir, target?.import?.default ?? '<no import.default>'));
        },
      },
      {
        title: `${specifier}: both builds export the same non-empty set of names`,
        run() {
          assert.deepEqual(cjs().keys, esm().keys);
          assert.ok(esm().keys.length >= 1, 'the entry exports nothing');
        },
      },
      {
        title: `${specifier}: declaration files exist for both conditions`,
        run() {
          for (const condition of ['import', 'require']) {
            const types = target?.[condition]?.types;
            assert.ok(types, `exports["${subpath}"].${condition}.types is missing`);
            assert.ok(existsSync(resolve(packageDir, types)), `${types} was not built`);
          }
        },
      },
    );
    const expected = options.expectedExports?.[subpath];
    if (expected && expected.length > 0) {
      checks.push({
        title: `${specifier}: exports ${expected.join(', ')}`,
        run() {
          const missing = expected.filter((key) => !esm().keys.includes(key) || !cjs().keys.includes(key));
          assert.deepEqual(missing, [], `missing exports: ${missing.join(', ')}`);
        },
      });
    }
  }
  return checks;
}
