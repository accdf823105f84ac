import { createJestConfig } from '../jest.config.base.js';

// End-to-end tests: they run the BUILT sample-app (build first: `npm run build` at the root).
export default createJestConfig({
  rootDir: import.meta.dirname,
  roots: ['test'],
  testRegex: '\\.e2e-spec\\.ts$',
});
