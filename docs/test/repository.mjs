// Walks the repository's own files (never node_modules, builds or caches).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const skipped = new Set(['node_modules', 'dist', '.cache', '.pack', '.git', '.ci-results', 'coverage']);

/** Every file under `dir` (relative to the root) whose name matches `pattern`, as root-relative paths. */
export function filesUnder(dir, pattern = /./) {
  const out = [];
  const walk = (abs) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue;
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (pattern.test(entry.name)) out.push(relative(root, path));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

export const read = (file) => readFileSync(join(root, file), 'utf8');
