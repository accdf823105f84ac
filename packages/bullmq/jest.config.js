import { createJestConfig, orkaSources } from '../../jest.config.base.js';

// Tests against the TypeScript sources, a real Redis and a real PostgreSQL (scripts/services finds or
// starts them; they never skip).
export default createJestConfig({
  displayName: '@orka/bullmq',
  rootDir: import.meta.dirname,
  roots: ['test', 'src'],
  moduleNameMapper: orkaSources(['core', 'postgres']),
});
