import { describe, it } from '@jest/globals';

import { dualPackageChecks } from '../../../scripts/smoke/dual-package.mjs';

const packageDir = new URL('..', import.meta.url);

describe('@orka/studio built package', () => {
  it.each(dualPackageChecks(packageDir, { expectedExports: { '.': ['OrkaStudioModule'] } }))(
    '$title',
    ({ run }) => run(),
  );
});
