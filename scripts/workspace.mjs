// Small helpers shared by the workspace scripts. Only `workspacePackages` needs an installed dependency
// (`yaml`); everything else runs before `pnpm install` too.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The pnpm version pinned by the root package.json "packageManager" field, e.g. "pnpm@12.21.0". */
export const pnpmSpec = rootManifest.packageManager;

/**
 * Runs pnpm (through npx, so only Node and npm need to be installed) and returns its exit code.
 * @param {string[]} args
 * @param {{ cwd?: string, stdio?: import('node:child_process').StdioOptions }} [options]
 */
export function pnpm(args, options = {}) {
  return run('npx', ['--yes', pnpmSpec, ...args], options);
}

/**
 * Runs a command with inherited output and returns its exit code (1 when it could not start).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, stdio?: import('node:child_process').StdioOptions, env?: NodeJS.ProcessEnv, shell?: boolean }} [options]
 */
export function run(
  command,
  args,
  { cwd = root, stdio = 'inherit', env = process.env, shell = process.platform === 'win32' } = {},
) {
  const result = spawnSync(command, args, { cwd, stdio, env, shell });
  if (result.error) {
    console.error(`could not run ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

/**
 * The workspace packages listed in pnpm-workspace.yaml, as { dir, manifest } in listing order. Reads the
 * file with the `yaml` package, so it is for scripts that run after the install (ensure-install.mjs).
 */
export function workspacePackages() {
  const { parse } = createRequire(import.meta.url)('yaml');
  const { packages: patterns = [] } = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) ?? {};
  const dirs = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (entry.isDirectory()) dirs.push(join(parent, entry.name));
      }
    } else {
      dirs.push(join(root, pattern));
    }
  }
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}
