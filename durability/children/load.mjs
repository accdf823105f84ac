// D9: many concurrent durable runs in one process on one store. ORKA_MODE start: starts ORKA_RUNS runs
// (ids load-0 ... load-N-1) at once and waits for them all; with ORKA_KILL_AFTER=k it kills itself
// (SIGKILL) in the k-th handler of the last step, while the other runs are in flight. ORKA_MODE resume: takes
// over what was left and waits for every run. Prints JSON lines.
import { DurableRunner, Pipeline } from '@orka/core';
import { openStore } from './stores.mjs';

const env = process.env;
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const runs = Number(env.ORKA_RUNS ?? 1000);
const killAfter = env.ORKA_KILL_AFTER === undefined ? undefined : Number(env.ORKA_KILL_AFTER);

let lastSteps = 0;
const step = (name) => async (ctx) => {
  await new Promise((resolve) => setImmediate(resolve));
  ctx.trail.push(name);
  if (name === 'c' && ++lastSteps === killAfter) {
    say({ event: 'dying', lastSteps });
    process.kill(process.pid, 'SIGKILL');
  }
};
const load = new Pipeline('load', ['a', 'b', 'c'], { version: '1' });
for (const name of ['a', 'b', 'c']) load.onStep(name, step(name));

const store = await openStore(env.ORKA_STORE);
const durable = new DurableRunner({ store, pipelines: [load], leaseMs: 500, pollMs: 50 });
await durable.open();
const ids = Array.from({ length: runs }, (_, i) => `load-${i}`);

if (env.ORKA_MODE === 'start') {
  await Promise.all(ids.map((runId, i) => durable.start(load, { n: i, trail: [] }, { runId })));
  say({ event: 'started', runs });
}
const outcomes = await Promise.all(
  ids.map((runId) =>
    durable
      .result(runId)
      .then((result) => result.outcome === 'completed' && result.context.trail.join() === 'a,b,c'),
  ),
);
say({ event: 'all', runs: outcomes.length, completed: outcomes.filter(Boolean).length });
await durable.close();
