// (b) What a Nest 11 CommonJS app gets from `npm install @orka/nestjs`: the CommonJS build, and the
// app's own (single) copy of Nest and of @orka/core.
import { dirname, sep } from 'node:path';

/** A resolved file path with forward slashes, whatever the platform. */
const posix = (file: string) => file.split(sep).join('/');

describe('package resolution in a Nest 11 CommonJS app', () => {
  it('resolves @orka/nestjs to its dist/cjs build, and loads it', () => {
    expect(posix(require.resolve('@orka/nestjs'))).toMatch(
      /\/node_modules\/@orka\/nestjs\/dist\/cjs\/index\.js$/,
    );
    const plugin = require('@orka/nestjs') as Record<string, unknown>;
    expect(Object.keys(plugin).length).toBeGreaterThan(0);
  });

  it('resolves @orka/core to its dist/cjs build', () => {
    expect(posix(require.resolve('@orka/core'))).toMatch(
      /\/node_modules\/@orka\/core\/dist\/cjs\/index\.js$/,
    );
  });

  it('runs against Nest 11', () => {
    const { version } = require('@nestjs/core/package.json') as { version: string };
    expect(version.startsWith('11.')).toBe(true);
    expect((require('@nestjs/common/package.json') as { version: string }).version).toMatch(/^11\./);
  });

  it('shares the app’s copy of @nestjs/core, @nestjs/common and @orka/core with @orka/nestjs', () => {
    const fromPlugin = [dirname(require.resolve('@orka/nestjs'))];
    for (const name of ['@nestjs/core', '@nestjs/common', '@orka/core']) {
      expect(require.resolve(name, { paths: fromPlugin })).toBe(require.resolve(name));
    }
  });
});
