import { describe, it } from '@jest/globals';

import { dualPackageChecks } from '../../../scripts/smoke/dual-package.mjs';

const packageDir = new URL('..', import.meta.url);

describe('@orka/bullmq built package', () => {
  it.each(dualPackageChecks(packageDir, { expectedExports: { '.': ['BullMqTransport'] } }))(
    '$title',
    ({ run }) => run(),
  );
});
