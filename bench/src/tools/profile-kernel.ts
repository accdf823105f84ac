// A profiling target, not a benchmark: runs only the Orka side of the kernel workload (sequential
// and 1,000 concurrent, no observer, or with a TraceCollector given --trace) for a few seconds, so
// that `node --cpu-prof` sees the kernel's hot path and little else. Used by `npm run bench -- --profile`.
import { TraceCollector, type RunOptions } from '@orka/core';
import { parseArgs } from '../lib/args.js';
import { log } from '../lib/io.js';
import { buildWorkload, newCtx } from '../kernel/workload.js';

const args = parseArgs();
const seconds = Number(args.values.get('seconds') ?? 4);
const trace = args.flags.has('trace');
const { orka } = buildWorkload();
const collector = new TraceCollector();
const options: RunOptions | undefined = trace ? { observer: collector.observer } : undefined;

const until = performance.now() + seconds * 1000;
let runs = 0;
while (performance.now() < until) {
  for (let i = 0; i < 1000; i++) await orka.run(newCtx(i), options);
  const batch = Array.from({ length: 1000 }, (_, i) => orka.run(newCtx(i), options));
  await Promise.all(batch);
  collector.clear();
  runs += 2000;
}
log(`profile-kernel: ${runs} runs in ${seconds} s${trace ? ' (TraceCollector)' : ''}`);
