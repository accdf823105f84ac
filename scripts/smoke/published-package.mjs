// Checks of a package's tarball as it would be published (made by scripts/pack.mjs): publint finds no
// problem in it, and it holds what a user needs (README, LICENSE, both builds) and nothing else.
//
//   it.each(publishedPackageChecks(packageDir))('$title', ({ run }) => run());
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unpack } from '@publint/pack';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { tarballOf } from '../pack.mjs';

/**
 * @param {URL} packageDir
 * @returns {{ title: string, run: () => Promise<void> }[]}
 */
export function publishedPackageChecks(packageDir) {
  const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));
  const tarball = tarballOf(manifest.name, manifest.version);
  const contents = async () => {
    assert.ok(
      existsSync(tarball),
      `${tarball} is missing: run npm test (it packs after the build) or node scripts/pack.mjs`,
    );
    return readFileSync(tarball);
  };
  return [
    {
      title: `publint finds no error, warning or suggestion in ${manifest.name}'s tarball`,
      run: async () => {
        const data = await contents();
        const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        const { messages, pkg } = await publint({
          pack: { tarball: buffer },
          level: 'suggestion',
          strict: true,
        });
        assert.deepEqual(
          messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`),
          [],
          `publint: ${fileURLToPath(packageDir)}`,
        );
      },
    },
    {
      title: `${manifest.name}'s tarball holds its README, LICENSE and both builds, and no sources or tests`,
      run: async () => {
        const data = await contents();
        const { files, rootDir } = await unpack(
          data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
        );
        const names = files.map((f) => f.name.slice(rootDir.length + 1));
        for (const required of [
          'package.json',
          'README.md',
          'LICENSE',
          'dist/esm/index.js',
          'dist/cjs/index.js',
        ]) {
          assert.ok(names.includes(required), `${required} is not in the tarball`);
        }
        const stray = names.filter(
          (n) => !/^(package\.json|README\.md|LICENSE|dist\/.*)$/.test(n) || /\.spec\./.test(n),
        );
        assert.deepEqual(stray, [], 'files that do not belong in the published package');
      },
    },
  ];
}
