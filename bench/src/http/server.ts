// Starts one HTTP variant (see targets.ts) on 127.0.0.1 and an ephemeral port, prints
// {"port": N} on stdout, and closes on SIGTERM or when stdin closes (so it never outlives the suite).
// With --profile-out <file>, the lines `profile-start` and `profile-stop` on stdin start and stop a
// CPU profile of the steady state (the warm-up left out), written to that file; `profile-stop` is
// answered with {"profiled": file} on stdout.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { parseArgs } from '../lib/args.js';
import { variants } from './targets.js';

const args = parseArgs();
const name = args.values.get('variant') ?? 'hand';
const profileOut = args.values.get('profile-out');
const variant = variants.find((v) => v.name === name);
if (!variant) throw new Error(`Unknown variant ${name}; known: ${variants.map((v) => v.name).join(', ')}`);

const app = await NestFactory.create<NestExpressApplication>(await variant.module(), { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);

let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  void app.close().finally(() => process.exit(0));
};
process.on('SIGTERM', close);
process.stdin.on('end', close);

const session = new Session();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );
createInterface({ input: process.stdin }).on('line', (line) => {
  if (!profileOut) return;
  if (line === 'profile-start') {
    session.connect();
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
      .then(() => post('Profiler.start'));
  } else if (line === 'profile-stop') {
    void post('Profiler.stop').then((result) => {
      writeFileSync(profileOut, JSON.stringify((result as { profile: unknown }).profile));
      session.disconnect();
      process.stdout.write(`${JSON.stringify({ profiled: profileOut })}\n`);
    });
  }
});
