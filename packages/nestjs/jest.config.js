import { createJestConfig, orkaSources } from '../../jest.config.base.js';

// Unit and integration tests against the TypeScript sources (Nest 12, ESM). @orka/core is mapped to
// its sources too, so these tests need no build; the smoke tests check the built packages.
export default createJestConfig({
  displayName: '@orka/nestjs',
  rootDir: import.meta.dirname,
  roots: ['test', 'src'],
  testPathIgnorePatterns: ['/test/types/'],
  moduleNameMapper: orkaSources(['core']),
});
