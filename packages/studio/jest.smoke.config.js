import { createJestConfig } from '../../jest.config.base.js';

// Smoke tests against the BUILT package (run after `build`): see smoke/*.smoke.spec.ts.
export default createJestConfig({
  displayName: '@orka/studio (built)',
  rootDir: import.meta.dirname,
  roots: ['smoke'],
  testRegex: '\\.smoke\\.spec\\.ts$',
});
