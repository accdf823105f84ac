import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, read, root } from './repository.mjs';

// Tests and comments cite the rules they pin or implement (K6, R3, N5, ...). Each cited identifier must
// be defined in docs/, as a heading that starts with it ("### K6 Conditional steps ..."), so that a
// reader can look any of them up.

const families = 'KRNDWSV';
const idPattern = new RegExp(`\\b([${families}])(\\d{1,2})\\b`, 'g');

/** The rule identifiers defined by headings of docs/*.md. */
function definedRules() {
  const defined = new Map();
  for (const file of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
    for (const m of read(`docs/${file}`).matchAll(new RegExp(`^#{2,4} ([${families}]\\d{1,2})\\b`, 'gm'))) {
      defined.set(m[1], file);
    }
  }
  return defined;
}

/** Where rules are cited: sources, tests, the sample app, e2e, the compatibility suites. */
function citingFiles() {
  const dirs = ['packages', 'e2e', 'sample-app', 'compat'].filter((d) => existsSync(join(root, d)));
  return dirs.flatMap((d) => filesUnder(d, /\.(ts|mts|mjs|js)$/));
}

describe('rules cited in code are defined in docs/', () => {
  const defined = definedRules();

  it('every rule identifier a source file, test or comment cites resolves to a heading in docs/', () => {
    const undefinedCitations = [];
    for (const file of citingFiles()) {
      for (const m of read(file).matchAll(idPattern)) {
        if (!defined.has(m[0])) undefinedCitations.push(`${file}: ${m[0]}`);
      }
    }
    expect(undefinedCitations).toEqual([]);
  });

  it('no rule is defined twice', () => {
    const seen = new Map();
    const twice = [];
    for (const file of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
      for (const m of read(`docs/${file}`).matchAll(new RegExp(`^#{2,4} ([${families}]\\d{1,2})\\b`, 'gm'))) {
        if (seen.has(m[1])) twice.push(`${m[1]} in ${seen.get(m[1])} and ${file}`);
        seen.set(m[1], file);
      }
    }
    expect(twice).toEqual([]);
  });
});
