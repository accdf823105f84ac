// A child of the recovery benchmark: starts a durable run whose second step never ends, says so, and
// waits to be killed (SIGKILL, by the suite).
import { DurableRunner, Pipeline } from '@orka/core';
import { openBenchStore } from './stores.js';

const [spec, runId, leaseMs] = process.argv.slice(2) as [string, string, string];
const p = new Pipeline<{ done: number }>('recovery', ['first', 'stuck', 'last'], { version: '1' });
p.onStep('first', (ctx) => void (ctx.done = 1));
p.onStep('stuck', () => new Promise<void>(() => process.stdout.write('stuck\n')));
p.onStep('last', (ctx) => void (ctx.done = 3));
const durable = new DurableRunner({
  store: await openBenchStore(spec),
  pipelines: [p],
  leaseMs: Number(leaseMs),
});
await durable.open();
await durable.start(p, { done: 0 }, { runId });
