import { createJestConfig } from '../../jest.config.base.js';

// Unit tests against the TypeScript sources. test/types/** holds type-level tests: compiled by
// `npm run typecheck`, never run.
export default createJestConfig({
  displayName: '@orka/core',
  rootDir: import.meta.dirname,
  roots: ['test', 'src'],
  testPathIgnorePatterns: ['/test/types/'],
});
