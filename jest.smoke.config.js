// The checks of the built packages and of their tarballs as published (run after the build and the
// pack): one Jest run over every package's smoke suite.
/** @type {import('jest').Config} */
export default {
  projects: [
    '<rootDir>/packages/core/jest.smoke.config.js',
    '<rootDir>/packages/nestjs/jest.smoke.config.js',
    '<rootDir>/packages/postgres/jest.smoke.config.js',
    '<rootDir>/packages/bullmq/jest.smoke.config.js',
    '<rootDir>/packages/studio/jest.smoke.config.js',
  ],
};
