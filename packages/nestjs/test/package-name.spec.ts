import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

import { ORKA_NESTJS_PACKAGE } from '../src/index.js';

describe('@orka/nestjs entry point', () => {
  it('names the package it belongs to', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string;
    };
    expect(ORKA_NESTJS_PACKAGE).toBe(manifest.name);
  });
});
