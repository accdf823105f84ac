import { createJestConfig, orkaSources } from '../../jest.config.base.js';

// Tests against the TypeScript sources and a real PostgreSQL (scripts/services/test-services.mjs finds
// or starts one; it never skips).
export default createJestConfig({
  displayName: '@orka/postgres',
  rootDir: import.meta.dirname,
  roots: ['test', 'src'],
  moduleNameMapper: orkaSources(['core']),
});
