import { describe, it } from '@jest/globals';

import { dualPackageChecks } from '../../../scripts/smoke/dual-package.mjs';

// Key names of the public API that both builds must export (tighten as the plugin grows).
const expectedExports: Record<string, string[]> = {
  '.': [
    'OrkaModule',
    'PipelineRunner',
    'OrkaContext',
    'Pipeline',
    'Step',
    'When',
    'MapToHttp',
    'Continue',
    'Stop',
    'runFailure',
  ],
};

describe('@orka/nestjs built package', () => {
  it.each(dualPackageChecks(new URL('..', import.meta.url), { expectedExports }))('$title', ({ run }) =>
    run(),
  );
});
