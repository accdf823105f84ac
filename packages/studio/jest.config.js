import { createJestConfig, orkaSources } from '../../jest.config.base.js';

// API tests against the sources, and browser tests in Debian's Chromium (playwright-core, never a
// downloaded browser).
export default createJestConfig({
  displayName: '@orka/studio',
  rootDir: import.meta.dirname,
  roots: ['test', 'src'],
  moduleNameMapper: orkaSources(['core', 'nestjs']),
});
