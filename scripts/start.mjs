// `npm start`: installs what is missing, builds what changed (the sample app and the packages it uses),
// then runs the sample app in the foreground on a Node that has node:sqlite. Nothing is installed or
// rebuilt when nothing changed, and no package manager starts then: a second `npm start` listens within
// a few seconds. Ctrl-C (or SIGTERM) reaches the app, which closes cleanly; this script exits with the
// app's exit code only after the app has exited. `node scripts/start.mjs --worker` (`npm run start:worker`)
// starts a worker of the sample app instead (see the README's "Scale out").
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfChanged } from './build-if-changed.mjs';
import { ensureInstall } from './ensure-install.mjs';
import { modernNode } from './node24.mjs';
import { root } from './workspace.mjs';

let code = ensureInstall();
if (code === 0) code = buildIfChanged('sample-app');
if (code !== 0) {
  process.exitCode = code;
} else {
  const node = modernNode();
  const worker = process.argv.includes('--worker');
  const args = process.argv.slice(2).filter((a) => a !== '--worker');
  const entry = join(root, 'sample-app', 'dist', worker ? 'worker.js' : 'main.js');
  const app = spawn(node, [entry, ...args], {
    cwd: join(root, 'sample-app'),
    stdio: 'inherit',
  });
  // A terminal's Ctrl-C reaches the whole process group, the app included; a signal sent to this
  // process alone is passed on. Either way this process stays until the app is gone.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (app.exitCode === null && app.signalCode === null) app.kill(signal);
    });
  }
  app.on('exit', (exitCode, signal) => {
    process.exitCode = exitCode ?? (signal ? 128 : 1);
  });
}
