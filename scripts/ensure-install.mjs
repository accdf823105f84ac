// Installs the workspace's dependencies when they are missing or out of date, and does nothing otherwise.
// "Out of date" means: pnpm-lock.yaml, pnpm-workspace.yaml or a workspace package.json changed after the
// last successful install by this script (recorded in node_modules/.orka-install-stamp).
// The install is always `--frozen-lockfile`: after changing dependencies, run
// `npx pnpm@<version> install` once to update pnpm-lock.yaml, and commit it.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pnpm, pnpmSpec, root, workspacePackages } from './workspace.mjs';

const stamp = join(root, 'node_modules', '.orka-install-stamp');

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

export function installNeeded() {
  if (!existsSync(join(root, 'node_modules', '.modules.yaml')) || !existsSync(stamp))
    return 'node_modules is missing';
  const installedAt = mtime(stamp);
  const inputs = [
    join(root, 'pnpm-lock.yaml'),
    join(root, 'pnpm-workspace.yaml'),
    join(root, 'package.json'),
    ...workspacePackages().map(({ dir }) => join(dir, 'package.json')),
  ];
  const changed = inputs.find((file) => mtime(file) > installedAt);
  if (changed) return `${changed.slice(root.length + 1)} changed since the last install`;
  for (const { dir, manifest } of workspacePackages()) {
    const hasDeps = ['dependencies', 'devDependencies'].some(
      (k) => Object.keys(manifest[k] ?? {}).length > 0,
    );
    if (hasDeps && !existsSync(join(dir, 'node_modules')))
      return `${dir.slice(root.length + 1)}/node_modules is missing`;
  }
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
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureInstall();
}
