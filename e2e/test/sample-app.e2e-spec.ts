import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sampleAppDir = fileURLToPath(new URL('../../sample-app/', import.meta.url));
const mainJs = fileURLToPath(new URL('../../sample-app/dist/main.js', import.meta.url));

describe('sample-app (built)', () => {
  it('has been built', () => {
    expect(existsSync(mainJs)).toBe(true);
  });

  it('runs to completion: exit code 0 and output on stdout', () => {
    const result = spawnSync(process.execPath, [mainJs], {
      cwd: sampleAppDir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.error).toBeUndefined();
    // stderr is included so that a failing run shows it in the diff.
    expect({
      status: result.status,
      signal: result.signal,
      stderr: result.status === 0 ? '' : result.stderr,
    }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(result.stdout.trim().length).toBeGreaterThan(0);
  });
});
