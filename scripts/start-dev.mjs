// `npm run start:dev`: the sample app under `nest start --watch` (the Nest CLI, configured by the root's
// nest-cli.json): it recompiles and restarts the app when a file under sample-app/src changes. Installs
// and builds the packages the app uses first, when they changed, and runs on a Node with node:sqlite.
// After changing packages/*/src, run `npm run build` (or restart this).
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { buildIfChanged } from './build-if-changed.mjs';
import { ensureInstall } from './ensure-install.mjs';
import { modernNode } from './node24.mjs';
import { root } from './workspace.mjs';

let code = ensureInstall();
// The app itself is the Nest CLI's to build; its workspace dependencies are built here.
if (code === 0) code = buildIfChanged('@orka/nestjs');
if (code !== 0) {
  process.exitCode = code;
} else {
  const node = modernNode();
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const cli = spawn(
    node,
    [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'start', '--watch'],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill(signal);
    });
  }
  cli.on('exit', (exitCode, signal) => {
    process.exitCode = exitCode ?? (signal ? 128 : 1);
  });
}
