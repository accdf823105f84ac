// A worker of the scale-out benchmark: `node worker.js <pg-url> <schema> <redis-host> <redis-port> <prefix>`.
import { DurableRunner } from '@orka/core';
import { BullMqTransport } from '@orka/bullmq';
import { PostgresRunStore } from '@orka/postgres';
import { fiveSteps } from './pipeline.js';

const [url, schema, host, port, prefix] = process.argv.slice(2) as [string, string, string, string, string];
const durable = new DurableRunner({
  store: new PostgresRunStore({ connectionString: url, schema, max: 16 }),
  pipelines: [fiveSteps()],
  transport: new BullMqTransport({ connection: { host, port: Number(port) }, prefix, concurrency: 32 }),
  role: 'worker',
});
await durable.open();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void durable.close().then(() => process.exit(0)));
