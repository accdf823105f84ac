// A child process that runs the durability suite's checkout on a real store, and dies where the test
// says. Environment: ORKA_STORE, ORKA_LEDGER (a folder), ORKA_MODE (start | resume | inspect),
// ORKA_RUN_ID, ORKA_INPUT (JSON), ORKA_VERSION, ORKA_LEASE_MS, ORKA_FAILPOINT, ORKA_HOLD (a step that
// waits for the file ORKA_LEDGER/release before its effect). Prints JSON lines on stdout.
import { existsSync } from 'node:fs';
import { DurableRunner, Pipeline } from '@orka/core';
import { failpoint, withFailpoints } from './failpoints.mjs';
import { Ledger } from './ledger.mjs';
import { openStore } from './stores.mjs';

const env = process.env;
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const ledger = new Ledger(env.ORKA_LEDGER);
const version = env.ORKA_VERSION ?? '1';

/** A step's body: note the call, maybe hold, apply the effect once per key, maybe die. */
async function effect(ctx, run, what) {
  ledger.call(run.stepKey, what);
  if (env.ORKA_HOLD === what) {
    say({ event: 'holding', step: what });
    while (!existsSync(`${env.ORKA_LEDGER}/release`)) await new Promise((r) => setTimeout(r, 20));
  }
  ledger.apply(run.stepKey, what);
  ctx.done.push(what);
  failpoint(`in-handler:${what}`);
}

const express = new Pipeline('express-shipping', ['pack', 'label'], { version });
express.onStep('pack', (ctx, run) => effect(ctx, run, 'pack'));
express.onStep('label', (ctx, run) => effect(ctx, run, 'label'));

const checkout = new Pipeline('checkout', ['reserve', 'charge', 'shipping', 'notify'], { version });
checkout.onStep('reserve', (ctx, run) => effect(ctx, run, 'reserve'));
checkout.onStep('charge', (ctx, run) => effect(ctx, run, 'charge'));
checkout
  .conditionalStep('shipping')
  .ifCondition((ctx) => ctx.express, 'express')
  .runSubPipeline(express)
  .otherwise('standard')
  .runHandler((ctx, run) => effect(ctx, run, 'standard'))
  .finalize();
checkout.onStep('notify', async (ctx, run) => {
  await effect(ctx, run, 'notify');
  if (ctx.failAtNotify) throw Object.assign(new Error('mail server down'), { code: 'MAIL_DOWN' });
});
for (const step of ['reserve', 'charge']) {
  checkout.compensate(step, (ctx, run) => {
    ledger.call(`${run.stepKey}:undo`, `undo ${step}`);
    ledger.apply(`${run.stepKey}:undo`, `undo ${step}`);
    ctx.done.push(`undo ${step}`);
    failpoint(`in-compensation:${step}`);
  });
}
checkout.onFinish((ctx, outcome) => {
  const key = `${outcome.runId}:finish`;
  ledger.call(key, 'finish');
  ledger.apply(key, `finish ${outcome.status}`);
  failpoint('in-finisher');
});

const store = withFailpoints(await openStore(env.ORKA_STORE));
const durable = new DurableRunner({
  store,
  pipelines: [checkout, express],
  leaseMs: Number(env.ORKA_LEASE_MS ?? 400),
  pollMs: 50,
  ...(env.ORKA_OWNER && { owner: env.ORKA_OWNER }),
});
await durable.open();
const runId = env.ORKA_RUN_ID;

if (env.ORKA_MODE === 'inspect') {
  // A runner that may not run this run (another definition): look for due runs after its lease is
  // surely gone, then report what the store shows.
  for (;;) {
    const loaded = await store.load(runId);
    if (loaded && (loaded.run.leaseUntil ?? 0) < Date.now()) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await durable.poll();
  await durable.poll();
  say({ event: 'snapshot', snapshot: await durable.get(runId) });
  await durable.close();
  process.exit(0);
}

if (env.ORKA_MODE === 'start') {
  const input = { done: [], ...JSON.parse(env.ORKA_INPUT ?? '{}') };
  await durable.start(checkout, input, { runId });
  say({ event: 'started', runId });
  failpoint('after-start');
}
try {
  const result = await durable.result(runId);
  say({ event: 'result', outcome: result.outcome, context: result.context });
} catch (err) {
  say({ event: 'failed', name: err.name, code: err.code, message: err.message, step: err.step });
}
await durable.close();
