// Installs the workspace's dependencies when they are missing or out of date, and does nothing otherwise.
// "Out of date" means: the lockfile, pnpm-workspace.yaml or a workspace package.json differs from what
// the last successful install by this script saw (their hash, kept in node_modules/.orka-install-hash).
// Comparing contents, not times, keeps a fresh checkout or a `touch` from costing an install, and never
// misses a change. The install is always `--frozen-lockfile`: after changing dependencies, run
// `npx pnpm@<version> install` once to update pnpm-lock.yaml, and commit it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pnpm, pnpmSpec, root } from './workspace.mjs';

const stamp = join(root, 'node_modules', '.orka-install-hash');

/**
 * The package.json files of the root and of the folders one and two levels down (where workspace
 * packages live), found without parsing pnpm-workspace.yaml: this runs before anything is installed.
 */
function manifests(dir = root, depth = 0) {
  const found = existsSync(join(dir, 'package.json')) ? [join(dir, 'package.json')] : [];
  if (depth === 2) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (
      !entry.isDirectory() ||
      entry.name.startsWith('.') ||
      entry.name === 'node_modules' ||
      entry.name === 'dist'
    )
      continue;
    found.push(...manifests(join(dir, entry.name), depth + 1));
  }
  return found;
}

/** The hash of everything an install depends on. */
function inputsHash() {
  const hash = createHash('sha256');
  const files = [join(root, 'pnpm-lock.yaml'), join(root, 'pnpm-workspace.yaml'), ...manifests().sort()];
  for (const file of files) {
    hash.update(file.slice(root.length));
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Why an install is needed, or undefined when node_modules matches the lockfile and manifests. */
export function installNeeded() {
  if (!existsSync(join(root, 'node_modules', '.modules.yaml')) || !existsSync(stamp))
    return 'node_modules is missing';
  if (readFileSync(stamp, 'utf8').trim() !== inputsHash())
    return 'the lockfile, the workspace file or a package.json changed since the last install';
  return undefined;
}

export function ensureInstall() {
  const reason = installNeeded();
  if (!reason) return 0;
  console.log(`ensure-install: ${reason}; running ${pnpmSpec} install --frozen-lockfile`);
  const code = pnpm(['install', '--frozen-lockfile']);
  if (code !== 0) {
    console.error(
      `ensure-install: install failed (exit ${code}). If you changed dependencies, update the lockfile with ` +
        `\`npx --yes ${pnpmSpec} install\` and commit pnpm-lock.yaml.`,
    );
    return code;
  }
  writeFileSync(stamp, `${inputsHash()}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureInstall();
}
