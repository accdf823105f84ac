import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';

// The page's script is the compiled source of functions of the package: both builds must send the very
// same browser code, with nothing of a module system in it (no require, no exports, no import glue).
describe("the Studio page's script as built", () => {
  it('V5 is the same in the ESM and the CommonJS build, and plain browser code', async () => {
    const esm = (await import(new URL('../dist/esm/page/studio-script.js', import.meta.url).href)) as {
      STUDIO_JS: string;
    };
    const cjs = createRequire(import.meta.url)('../dist/cjs/page/studio-script.js') as { STUDIO_JS: string };
    expect(cjs.STUDIO_JS).toBe(esm.STUDIO_JS);
    expect(esm.STUDIO_JS).not.toMatch(/require\(|exports\.|_js_1|__awaiter|\bimport\b/);
    expect(esm.STUDIO_JS).toMatch(/\(function studioApp\(\)/);
  });
});
