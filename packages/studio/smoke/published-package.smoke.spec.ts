import { describe, it } from '@jest/globals';

import { publishedPackageChecks } from '../../../scripts/smoke/published-package.mjs';

const packageDir = new URL('..', import.meta.url);

describe('the tarball as published', () => {
  it.each(publishedPackageChecks(packageDir))('$title', ({ run }) => run());
});
