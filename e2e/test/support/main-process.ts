import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built entry point, as `npm start` runs it (`npm test` builds before the e2e suite). */
export const mainJs = join(import.meta.dirname, '..', '..', '..', 'sample-app', 'dist', 'main.js');
/** The worker entry point (`npm run start:worker`). */
export const workerJs = join(import.meta.dirname, '..', '..', '..', 'sample-app', 'dist', 'worker.js');

// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
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

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The sample app running as its own process. */
export interface MainProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together, without colours. */
  output(): string;
  exited: Promise<Exit>;
  /** Resolves once the output matches; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** Starts `node sample-app/dist/main.js` with `env` added to this process's environment. */
export function startMain(env: Record<string, string>, entry = mainJs): MainProcess {
  if (!existsSync(entry)) {
    throw new Error(`${entry} is missing: build the workspace first (npm run build at the root).`);
  }
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, NO_COLOR: '1', GATEWAY_LATENCY_MS: '0', ORKA_STORE: 'memory', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output = () => stripAnsi(text);
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output())) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      void exited.then(({ code, signal }) => {
        if (!listeners.has(check)) return;
        listeners.delete(check);
        reject(new Error(`the app exited (${code ?? signal}) before printing ${pattern}:\n${output()}`));
      });
      check();
    });
  return { child, output, exited, waitFor };
}
