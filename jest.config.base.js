// Shared Jest settings for every workspace package. Each package's jest.config.js calls createJestConfig.
//
// Tests run as native ESM (the packages are "type": "module" and Nest 12 is ESM-only), so Jest must be
// started with `node --experimental-vm-modules`. TypeScript is transpiled by @swc/jest with legacy
// decorators and decorator metadata (what Nest needs); it does not typecheck: `tsc --noEmit` does that.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Maps every entry point of the workspace packages (`@orka/core`, `@orka/core/otel`, ...) to its
 * TypeScript source, read from each package's exports map (`./dist/esm/X.js` is `src/X.ts`): tests run
 * against the sources, with no build.
 * @param {string[]} packages folders under packages/
 */
export function orkaSources(packages) {
  const mapper = {};
  for (const dir of packages) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      const target = conditions?.import?.default;
      if (typeof target !== 'string' || !target.startsWith('./dist/esm/')) continue;
      const source = join(
        root,
        'packages',
        dir,
        'src',
        target.slice('./dist/esm/'.length).replace(/\.js$/, '.ts'),
      );
      const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      mapper[`^${name.replace(/[/]/g, '\\/')}$`] = source;
    }
  }
  return mapper;
}

/** @type {import('@swc/core').Options} */
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
  swcrc: false,
};

/**
 * @param {object} options
 * @param {string} [options.displayName] the project's name in a run over several projects
 * @param {string} options.rootDir the package directory (pass import.meta.dirname)
 * @param {string[]} [options.roots] directories searched for tests, relative to rootDir; missing ones are skipped
 * @param {string} [options.testRegex]
 * @param {string[]} [options.testPathIgnorePatterns]
 * @param {Record<string, string>} [options.moduleNameMapper] extra mappings, applied before the .js-suffix one
 * @returns {import('jest').Config}
 */
export function createJestConfig({
  displayName,
  rootDir,
  roots = ['src', 'test'],
  testRegex = '\\.spec\\.ts$',
  testPathIgnorePatterns = [],
  moduleNameMapper = {},
}) {
  const existing = roots.filter((dir) => existsSync(join(rootDir, dir)));
  return {
    ...(displayName && { displayName }),
    rootDir,
    roots: existing.length > 0 ? existing.map((dir) => `<rootDir>/${dir}`) : ['<rootDir>'],
    testEnvironment: 'node',
    testRegex,
    testPathIgnorePatterns: ['/node_modules/', '/dist/', ...testPathIgnorePatterns],
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    moduleNameMapper: {
      ...moduleNameMapper,
      // Source imports use `./file.js`; in tests resolve them to the `./file.ts` source.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  };
}
