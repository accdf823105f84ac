import { createJestConfig, orkaSources } from '../jest.config.base.js';

// The durability suite. The tests read the stores through the packages' sources; the children they
// start and kill (children/*.mjs) run the built packages, as an application would: `npm test` builds
// first; alone, run `npm run build` before it.
export default createJestConfig({
  displayName: 'durability',
  rootDir: import.meta.dirname,
  roots: ['test'],
  moduleNameMapper: orkaSources(['core', 'postgres', 'bullmq']),
});
