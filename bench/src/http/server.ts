// Starts one HTTP variant (see targets.ts) on 127.0.0.1 and an ephemeral port, prints
// {"port": N} on stdout, and closes on SIGTERM or when stdin closes (so it never outlives the suite).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { parseArgs } from '../lib/args.js';
import { variants } from './targets.js';

const args = parseArgs();
const name = args.values.get('variant') ?? 'hand';
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
  // Exits through process.exit so that --cpu-prof writes its profile.
  void app.close().finally(() => process.exit(0));
};
process.on('SIGTERM', close);
process.stdin.on('end', close);
process.stdin.resume();
