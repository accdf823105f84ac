// Part 2b: memory with 10,000 runs in flight at once. Every run of the checkout workload parks at
// the same await inside its sub-flow (a shared gate, as if all waited on I/O), then the gate opens
// and all complete. One side per process (--side orka|hand), so each starts from a clean heap.
import { strictEqual } from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { parseArgs } from '../lib/args.js';
import { log, requireGc, writeResult } from '../lib/io.js';
import { buildWorkload, expectedTotal, newCtx, type CheckoutCtx } from '../kernel/workload.js';

const args = parseArgs();
const side = args.values.get('side') ?? 'orka';
const runs = Number(args.values.get('runs') ?? 10_000);
const gc = requireGc();
const MB = 1024 * 1024;

async function main(): Promise<void> {
  // Warm the code up on an ungated workload first, so that compiled code is not counted below.
  const warm = buildWorkload();
  for (let i = 0; i < 2000; i++) {
    if (side === 'orka') await warm.orka.run(newCtx(i));
    else await warm.hand(newCtx(i));
  }

  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const { orka, hand } = buildWorkload({ gate });
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const inFlight: Promise<CheckoutCtx>[] = new Array<Promise<CheckoutCtx>>(runs);
  for (let i = 0; i < runs; i++) {
    inFlight[i] = side === 'orka' ? orka.run(newCtx(i)).then((r) => r.context) : hand(newCtx(i));
  }
  await tick(); // every run has reached the gate
  const parked = process.memoryUsage();
  gc();
  const parkedLive = process.memoryUsage();
  open();
  const contexts = await Promise.all(inFlight);
  const ms = performance.now() - t0;
  for (const ctx of contexts) strictEqual(ctx.total, expectedTotal(ctx.vip));
  gc();
  const after = process.memoryUsage();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  log(`scale/memory: ${side}, ${runs} concurrent runs in ${ms.toFixed(0)} ms`);
  writeResult(args.out, {
    suite: 'scale-memory',
    side,
    runs,
    ms,
    /** Heap held by the parked runs after a full GC, per run. */
    retainedBytesPerRun: (parkedLive.heapUsed - before.heapUsed) / runs,
    /** Heap in use with all runs parked, garbage included, above the heap before they started. */
    heapAtParkMB: (parked.heapUsed - before.heapUsed) / MB,
    heapLiveAtParkMB: (parkedLive.heapUsed - before.heapUsed) / MB,
    heapAfterMB: (after.heapUsed - before.heapUsed) / MB,
    rssBeforeMB: before.rss / MB,
    maxRssMB,
  });
}

await main();
