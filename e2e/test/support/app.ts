import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../../sample-app/src/app.module.js';

/** The sample app, listening on 127.0.0.1 on a port the system picked. */
export interface RunningApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a fresh sample app with all its state in memory (ORKA_STORE=memory unless the environment says
 * otherwise), so that every test file gets its own.
 */
export async function startApp(): Promise<RunningApp> {
  process.env.ORKA_STORE ??= 'memory';
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as import('node:net').Server).address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected address ${address}`);
  if (address.address !== '127.0.0.1') throw new Error(`listening on ${address.address}, not 127.0.0.1`);
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
