import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { STUDIO_TOKEN } from './studio/studio-token.guard.js';
import { DEMO_PERSISTENCE } from './persistence/persistence.module.js';
import type { DemoPersistence } from './persistence/store-from-env.js';

// Starts the demo on 127.0.0.1:3000 (PORT and HOST override) and prints requests to try. Ctrl-C or
// SIGTERM closes it cleanly: Orka lets runs in flight finish first.

const host = process.env.HOST ?? '127.0.0.1';
const port = parsePort(process.env.PORT ?? '3000');
if (port === undefined)
  fail(`PORT must be a whole number from 0 to 65535, got ${JSON.stringify(process.env.PORT)}.`);

const app = await NestFactory.create(AppModule, { logger: ['log', 'warn', 'error'] });
// useProcessExit: exit 0 once closed, rather than re-raising the signal (which ends the process with 143).
app.enableShutdownHooks([], { useProcessExit: true });
await app
  .listen(port, host)
  .catch((err: NodeJS.ErrnoException) =>
    fail(`cannot listen on ${host}:${port}: ${err.code ?? err.message}.`),
  );

// An IPv6 address goes in brackets in a URL.
const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
const json = `-H 'content-type: application/json'`;
const logger = new Logger('sample-app');
logger.log(`Orka sample app listening on ${base} (pid ${process.pid})`);
const persistence = app.get<DemoPersistence>(DEMO_PERSISTENCE);
logger.log(`Durable checkout runs are kept in ${persistence.label} (ORKA_STORE)`);
if (persistence.transport)
  logger.log(`Checkouts run on workers (npm run start:worker) through ${persistence.transport.label}`);
const open = process.env.NODE_ENV === 'development';
logger.log(
  `Orka Studio: ${base}/orka${open ? ' (no login: NODE_ENV=development)' : `?token=${STUDIO_TOKEN}`}`,
);
console.log(`
Try it:

  # onboarding: a premium signup (provisioning sub-pipeline, welcome mail)
  curl -s ${json} -d '{"email":"ada@example.com","planType":"premium"}' ${base}/users
  # the same email again: 409 USER_EXISTS
  curl -s ${json} -d '{"email":"ada@example.com","planType":"basic"}' ${base}/users
  # invalid input: 400 with the list of problems
  curl -s ${json} -d '{"email":"nope","planType":"gold"}' ${base}/users
  # the mailer fails twice, the step retries and succeeds
  curl -s ${json} -H 'x-mailer-fail-times: 2' -d '{"email":"grace@example.com","planType":"basic"}' ${base}/users

  # checkout: a VIP order goes through gateway X
  curl -s ${json} -d '{"customerId":"c1","tier":"vip","items":[{"sku":"sku-1","quantity":2}],"paymentMethod":"card"}' ${base}/orders
  # a declined card: 402 PAYMENT_DECLINED, and the reserved stock is released (see the order)
  curl -s ${json} -d '{"customerId":"c2","tier":"standard","items":[{"sku":"sku-3","quantity":1}],"paymentMethod":"declined-card"}' ${base}/orders
  curl -s ${base}/orders
  # durable: the same Idempotency-Key twice is one order and one charge; the run as its store has it
  curl -s ${json} -H 'idempotency-key: order-42' -d '{"customerId":"c4","tier":"vip","items":[{"sku":"sku-2","quantity":1}],"paymentMethod":"card"}' ${base}/orders
  curl -s ${base}/runs?pipeline=checkout
  curl -s ${base}/payments
  # the run's events as Server-Sent Events
  curl -sN '${base}/orders/stream?customerId=c3&tier=vip&paymentMethod=card&items=sku-1:1,sku-2:1'

  # the pipelines and their diagrams
  curl -s ${base}/pipelines
  curl -s ${base}/pipelines/checkout/diagram
`);

function parsePort(raw: string): number | undefined {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw) : NaN;
  return n >= 0 && n <= 65_535 ? n : undefined;
}

/** One line on stderr and exit 1: a mistake in the environment needs no stack trace. */
function fail(message: string): never {
  console.error(`sample-app: ${message}`);
  process.exit(1);
}
