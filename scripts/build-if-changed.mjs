// Builds a workspace package and the workspace packages it depends on, each only when its inputs
// changed since its last build: the sources, the tsconfig files, the manifest, and the builds of its
// own dependencies. A build records the hash of its inputs in dist/.orka-build-hash; a second
// `npm start` with nothing changed builds nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { root, run, workspacePackages } from './workspace.mjs';

const stampName = '.orka-build-hash';

/** Every file under `dir`, sorted, skipping build output and installed dependencies. */
function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out.sort();
}

/** What a package's build reads: its sources, configs and manifest, and the shared tsconfig. */
function inputsOf(pkg) {
  const configs = readdirSync(pkg.dir).filter((f) => /^tsconfig.*\.json$|^package\.json$/.test(f));
  const sources = existsSync(join(pkg.dir, 'src')) ? filesUnder(join(pkg.dir, 'src')) : [];
  return [join(root, 'tsconfig.base.json'), ...configs.map((f) => join(pkg.dir, f)), ...sources];
}

function hashOf(pkg, dependencyHashes) {
  const hash = createHash('sha256');
  for (const file of inputsOf(pkg)) {
    hash.update(relative(root, file));
    hash.update(readFileSync(file));
  }
  for (const h of dependencyHashes) hash.update(h);
  return hash.digest('hex');
}

/** Runs a package script as its package manager would: in its folder, with the installed binaries on PATH. */
function runScript(pkg, script) {
  const bins = [join(pkg.dir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin')];
  const env = { ...process.env, PATH: [...bins, process.env.PATH ?? ''].join(delimiter) };
  return run(pkg.manifest.scripts[script], [], { cwd: pkg.dir, env, shell: true });
}

/**
 * Builds `name` and its workspace dependencies where needed, dependencies first. Returns 0 when every
 * build that was needed succeeded.
 * @param {string} name
 * @param {{ log?: (line: string) => void }} [options]
 */
export function buildIfChanged(name, { log = console.log } = {}) {
  const byName = new Map(workspacePackages().map((p) => [p.manifest.name, p]));
  const hashes = new Map();
  const visit = (pkgName) => {
    if (hashes.has(pkgName)) return 0;
    const pkg = byName.get(pkgName);
    if (!pkg) throw new Error(`build: no workspace package named ${pkgName}`);
    const deps = Object.entries({ ...pkg.manifest.dependencies, ...pkg.manifest.devDependencies })
      .filter(([, range]) => String(range).startsWith('workspace:'))
      .map(([dep]) => dep);
    for (const dep of deps) {
      const code = visit(dep);
      if (code !== 0) return code;
    }
    const hash = hashOf(
      pkg,
      deps.map((d) => hashes.get(d)),
    );
    hashes.set(pkgName, hash);
    const stamp = join(pkg.dir, 'dist', stampName);
    if (existsSync(stamp) && statSync(stamp).isFile() && readFileSync(stamp, 'utf8').trim() === hash)
      return 0;
    if (!pkg.manifest.scripts?.build) return 0;
    log(`build: ${pkgName} (its sources changed since its last build)`);
    const code = runScript(pkg, 'build');
    if (code === 0) writeFileSync(stamp, `${hash}\n`);
    return code;
  };
  return visit(name);
}
