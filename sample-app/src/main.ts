// Placeholder entry point of the demo; the kernel demo replaces it.
import * as orka from '@orka/core';

console.log(`sample-app: @orka/core loaded (${Object.keys(orka).length} exports)`);
