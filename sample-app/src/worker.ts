import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { DEMO_PERSISTENCE } from './persistence/persistence.module.js';
import type { DemoPersistence } from './persistence/store-from-env.js';

// A worker of the demo (`npm run start:worker`): the same modules as the HTTP app, as a Nest application
// context without a server, executing the durable runs that the queue delivers (ORKA_TRANSPORT=bullmq,
// ORKA_STORE=postgres://...). Start as many as you like; Ctrl-C or SIGTERM lets their runs go to the
// others at once.

process.env.ORKA_ROLE = 'worker';
const app = await NestFactory.createApplicationContext(AppModule, { logger: ['log', 'warn', 'error'] });
app.enableShutdownHooks([], { useProcessExit: true });
const persistence = app.get<DemoPersistence>(DEMO_PERSISTENCE);
const logger = new Logger('sample-worker');
if (persistence.transport === undefined) {
  logger.error(
    'A worker takes runs from a queue: start it with ORKA_TRANSPORT=bullmq and ORKA_STORE=postgres://...',
  );
  await app.close();
  process.exit(1);
}
logger.log(
  `Orka worker ${process.pid} runs checkouts from ${persistence.transport.label} on ${persistence.label}`,
);
