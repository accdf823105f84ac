// Packs the publishable workspace packages into .pack/, as `npm publish` would ship them (`pnpm pack`
// rewrites `workspace:*` to real versions). The smoke tests check these tarballs (publint, contents),
// and the Nest 11 compatibility suite installs them, as a user would.
//
// `node scripts/pack.mjs` packs (after a build); the tarballs keep their names from one build to the next.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pnpm, root } from './workspace.mjs';

export const packDir = join(root, '.pack');

/** The packages that are published, in dependency order. */
export const publishedPackages = [
  { name: '@orka/core', dir: join(root, 'packages', 'core') },
  { name: '@orka/nestjs', dir: join(root, 'packages', 'nestjs') },
  { name: '@orka/postgres', dir: join(root, 'packages', 'postgres') },
  { name: '@orka/bullmq', dir: join(root, 'packages', 'bullmq') },
  { name: '@orka/studio', dir: join(root, 'packages', 'studio') },
];

/** The tarball a package was packed into: `@orka/core` 0.1.0 is `.pack/orka-core-0.1.0.tgz`. */
export function tarballOf(name, version) {
  return join(packDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
}

/** Packs every published package; returns the tarballs' paths, or an empty list after printing why not. */
export function packAll() {
  for (const { dir } of publishedPackages) {
    if (!existsSync(join(dir, 'dist'))) {
      console.error(`pack: ${relative(root, dir)}/dist is missing; build first (npm run build)`);
      return [];
    }
  }
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const filters = publishedPackages.flatMap(({ name }) => ['--filter', name]);
  const code = pnpm(['-r', ...filters, 'pack', '--pack-destination', packDir, '--silent']);
  const tarballs = existsSync(packDir) ? readdirSync(packDir).filter((f) => f.endsWith('.tgz')) : [];
  if (code !== 0 || tarballs.length !== publishedPackages.length) {
    console.error(`pack: pnpm pack exited ${code} and wrote ${tarballs.length} tarball(s)`);
    return [];
  }
  console.log(`pack: ${tarballs.join(', ')} in ${relative(root, packDir)}/`);
  return tarballs.map((file) => join(packDir, file));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = packAll().length > 0 ? 0 : 1;
}
