import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

import { dualPackageChecks } from '../../../scripts/smoke/dual-package.mjs';

const packageDir = new URL('..', import.meta.url);

// Key names of the public API that both builds must export (tighten as the kernel grows).
const expectedExports: Record<string, string[]> = {
  '.': ['Pipeline', 'Continue', 'Stop', 'runFailure', 'OrkaError'],
};

describe('@orka/core built package', () => {
  it.each(dualPackageChecks(packageDir, { expectedExports }))('$title', ({ run }) => run());

  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
  });
});
