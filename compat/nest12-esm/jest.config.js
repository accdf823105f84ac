// Jest for a Nest 12 (ESM) app, as the README's testing guide gives it: ts-jest in ESM mode, run with
// `node --experimental-vm-modules`, relative imports written with `.js` and mapped to the sources.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
};
