// Shared Jest settings for every workspace package. Each package's jest.config.js calls createJestConfig.
//
// Tests run as native ESM (the packages are "type": "module" and Nest 12 is ESM-only), so Jest must be
// started with `node --experimental-vm-modules`. TypeScript is transpiled by @swc/jest with legacy
// decorators and decorator metadata (what Nest needs); it does not typecheck: `tsc --noEmit` does that.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
 * @param {string} options.rootDir the package directory (pass import.meta.dirname)
 * @param {string[]} [options.roots] directories searched for tests, relative to rootDir; missing ones are skipped
 * @param {string} [options.testRegex]
 * @param {string[]} [options.testPathIgnorePatterns]
 * @param {Record<string, string>} [options.moduleNameMapper] extra mappings, applied before the .js-suffix one
 * @returns {import('jest').Config}
 */
export function createJestConfig({
  rootDir,
  roots = ['src', 'test'],
  testRegex = '\\.spec\\.ts$',
  testPathIgnorePatterns = [],
  moduleNameMapper = {},
}) {
  const existing = roots.filter((dir) => existsSync(join(rootDir, dir)));
  return {
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
    // Nothing in this repository needs it; the flag keeps an empty test folder from failing a run.
    passWithNoTests: true,
  };
}
