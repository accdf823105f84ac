// Part 2c: heap before and after 1,000,000 sequential runs of the checkout workload, with a full GC
// before each reading; a checkpoint every 10% shows any trend. Variant `signal`: every run gets a
// long-lived (application-wide) AbortSignal and a handler reads run.signal, which links a per-run
// signal to it: the listeners must go away with each run.
import { strictEqual } from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { parseArgs } from '../lib/args.js';
import { log, requireGc, writeResult } from '../lib/io.js';
import { buildWorkload, expectedTotal, newCtx } from '../kernel/workload.js';

const args = parseArgs();
const variant = args.values.get('variant') ?? 'plain';
const runs = Number(args.values.get('runs') ?? (args.quick ? 200_000 : 1_000_000));
const gc = requireGc();
const KB = 1024;

async function main(): Promise<void> {
  const app = new AbortController();
  const { orka } = buildWorkload({ readSignal: variant === 'signal' });
  const options = variant === 'signal' ? { signal: app.signal } : undefined;
  for (let i = 0; i < 20_000; i++) await orka.run(newCtx(i), options); // warm-up, not counted
  gc();
  const before = process.memoryUsage().heapUsed;
  const checkpoints: { runs: number; heapKB: number }[] = [{ runs: 0, heapKB: before / KB }];
  const every = runs / 10;
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < runs; i++) {
    const r = await orka.run(newCtx(i), options);
    last = r.context.total;
    if ((i + 1) % every === 0) {
      strictEqual(last, expectedTotal(r.context.vip));
      gc();
      checkpoints.push({ runs: i + 1, heapKB: process.memoryUsage().heapUsed / KB });
    }
  }
  const ms = performance.now() - t0;
  gc();
  const after = process.memoryUsage().heapUsed;
  const listeners = getEventListeners(app.signal, 'abort').length;
  log(`scale/heap: ${variant}, ${runs} runs in ${(ms / 1000).toFixed(1)} s`);
  writeResult(args.out, {
    suite: 'scale-heap',
    variant,
    runs,
    seconds: ms / 1000,
    heapBeforeKB: before / KB,
    heapAfterKB: after / KB,
    growthKB: (after - before) / KB,
    growthBytesPerRun: (after - before) / runs,
    abortListenersLeft: listeners,
    checkpoints,
  });
}

await main();
