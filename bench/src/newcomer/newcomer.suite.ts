// The newcomer's first minute: `npm start` on a fresh clone of the committed main branch (it installs,
// builds and starts), then Ctrl-C, then `npm start` again with nothing changed. Ctrl-C is sent as a
// terminal sends it: SIGINT to the whole process group. Prints JSON to --out.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../lib/args.js';

const args = parseArgs();
const out = args.values.get('out')!;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Seconds from `npm start` to the app listening, and ms from Ctrl-C to `npm start` having exited. */
async function startOnce(
  dir: string,
): Promise<{ listeningS: number; exitAfterCtrlCMs: number; exit: string }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  // npm re-raises the signal its script got, as shells expect: "SIGINT" is the normal end here.
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)),
  );
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(`listening on http://127.0.0.1:${port}`)) resolve(performance.now());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before listening:\n${output}`)));
  });
  const listenedAt = await listening;
  const interrupted = performance.now();
  process.kill(-child.pid!, 'SIGINT');
  const exit = await exited;
  return {
    listeningS: (listenedAt - started) / 1000,
    exitAfterCtrlCMs: performance.now() - interrupted,
    exit,
  };
}

const dir = mkdtempSync(join(os.tmpdir(), 'orka-newcomer-'));
try {
  execFileSync('git', ['clone', '-q', '--no-local', '--branch', 'main', repo, join(dir, 'orka')]);
  const clone = join(dir, 'orka');
  const first = await startOnce(clone);
  const second = await startOnce(clone);
  writeFileSync(out, JSON.stringify({ first, second }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
