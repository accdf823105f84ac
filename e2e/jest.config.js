import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createJestConfig, orkaSources } from '../jest.config.base.js';

// End-to-end tests of the sample app over real HTTP. The app is booted in the test process from its
// TypeScript sources (@swc/jest compiles them, as it compiles the tests), and @orka/* are read from
// their sources too, for the tests and the sample app alike: one copy of each, no build needed.
// Only boot.e2e-spec.ts needs a build: it starts the real entry point, sample-app/dist/main.js.

const root = join(import.meta.dirname, '..');

/** The entry file a package resolves to from `fromDir`, symlinks followed. */
function entryOf(name, fromDir) {
  const require = createRequire(join(fromDir, 'package.json'));
  return realpathSync(require.resolve(name));
}

// Nest keeps its DI state in module-level classes: a second copy of @nestjs/core or @nestjs/common
// breaks injection in ways that are hard to read. The workspace catalog pins one version; here every
// importer (the tests, the sample app, the plugin) must resolve the very same directory, and every
// import of these packages is mapped to it.
const nestPackages = ['@nestjs/common', '@nestjs/core', '@nestjs/testing', '@nestjs/platform-express'];
const importers = [import.meta.dirname, join(root, 'sample-app'), join(root, 'packages/nestjs')];
const nestMapper = {};
for (const name of nestPackages) {
  const entries = new Set(
    importers
      .filter((from) => name !== '@nestjs/testing' || from !== join(root, 'sample-app'))
      .map((from) => entryOf(name, from)),
  );
  if (entries.size !== 1) {
    throw new Error(
      `${name} resolves to ${entries.size} copies: ${[...entries].join(', ')}. Run pnpm install.`,
    );
  }
  const [entry] = entries;
  nestMapper[`^${name}$`] = entry;
  nestMapper[`^${name}/(.+)$`] = `${dirname(entry)}/$1`;
}

export default {
  ...createJestConfig({
    displayName: 'e2e',
    rootDir: import.meta.dirname,
    roots: ['test'],
    testRegex: '\\.e2e-spec\\.ts$',
    moduleNameMapper: { ...orkaSources(['core', 'nestjs', 'postgres', 'studio']), ...nestMapper },
  }),
};
