// One Jest run over every suite that needs the built packages but no browser or service of its own:
// `npm test` runs it once (one report, one summary), on Node 20 and again on Node 24. Each project
// keeps its own configuration (packages/*/jest.config.js, e2e/jest.config.js, docs/jest.config.js), so
// `pnpm --filter <package> test` still runs one package alone.
/** @type {import('jest').Config} */
export default {
  projects: [
    '<rootDir>/packages/core',
    '<rootDir>/packages/nestjs',
    '<rootDir>/packages/postgres',
    '<rootDir>/packages/bullmq',
    '<rootDir>/packages/studio',
    '<rootDir>/e2e',
    '<rootDir>/durability',
    '<rootDir>/docs',
  ],
  // The e2e files spend much of their time waiting (a step timeout, a child process starting and
  // stopping), so files run side by side even on two cores.
  maxWorkers: 3,
  // A worker ends by letting its event loop run dry, not by process.exit(). On two busy cores, that and
  // the process's own teardown can take longer than Jest's default 500 ms even with nothing left open
  // (every test file here was checked for handles left behind after its teardown: none), and Jest then
  // warns that a worker "failed to exit gracefully". Five seconds leaves room for a loaded machine.
  workerGracefulExitTimeout: 5_000,
};
