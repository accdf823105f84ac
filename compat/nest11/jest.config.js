// Jest in CommonJS mode (no --experimental-vm-modules), as a Nest 11 app scaffolded with Jest runs it.
// Every test/**/*.spec.ts is picked up: adding a spec file is all it takes to extend the suite.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
};
