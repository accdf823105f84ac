// Part 1: the kernel against a hand-written await chain, over the checkout workload (workload.ts).
// Sequential runs and batches of 1,000 concurrent runs, with no observer and with a TraceCollector.
// Both sides run in this one process, in alternating order, round after round; the tables report
// medians, and the ratio is the median of each round's own ratio (robust to drift in machine load).
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { TraceCollector, type RunOptions } from '@orka/core';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { summarize, type Summary } from '../lib/stats.js';
import { calibrate, sample, usPerOp } from '../lib/timing.js';
import {
  MAIN_STEPS,
  ROUTE_INDEX,
  STEP_EXECUTIONS,
  buildWorkload,
  expectedTotal,
  newCtx,
  type CheckoutCtx,
} from './workload.js';

const CONCURRENCY = 1000;

const args = parseArgs();
const rounds = Number(args.values.get('rounds') ?? (args.quick ? 5 : 11));
const targetMs = args.quick ? 60 : 150;
const warmupMs = args.quick ? 150 : 400;

const { orka, hand } = buildWorkload();
const collector = new TraceCollector();
const traced: RunOptions = { observer: collector.observer };

async function verify(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const handCtx = await hand(newCtx(i));
    const result = await orka.run(newCtx(i));
    deepStrictEqual(result.context, handCtx, 'Orka and the hand-written chain must give identical contexts');
    strictEqual(handCtx.total, expectedTotal(handCtx.vip));
    strictEqual(result.outcome, 'completed');
    strictEqual(result.steps.length, MAIN_STEPS.length);
    strictEqual(result.steps[ROUTE_INDEX]!.branch, handCtx.vip ? 0 : 1);

    collector.clear();
    const tracedResult = await orka.run(newCtx(i), traced);
    deepStrictEqual(tracedResult.context, handCtx);
    // 10 main steps and 3 sub-pipeline steps complete; one branch matched.
    strictEqual(collector.stepsCompleted().length, MAIN_STEPS.length + 3);
    strictEqual(collector.branches().length, 1);
    collector.clear();
  }
  const handAll = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => hand(newCtx(i))));
  const orkaAll = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => orka.run(newCtx(i))));
  deepStrictEqual(
    orkaAll.map((r) => r.context),
    handAll,
    'concurrent runs must give identical contexts',
  );
  log(`kernel: verified (identical contexts, sequential and ${CONCURRENCY} concurrent)`);
}

type Body = (n: number) => Promise<void>;

const bodies = {
  sequential: {
    hand: (async (n) => {
      for (let i = 0; i < n; i++) await hand(newCtx(i));
    }) as Body,
    none: (async (n) => {
      for (let i = 0; i < n; i++) await orka.run(newCtx(i));
    }) as Body,
    trace: (async (n) => {
      for (let i = 0; i < n; i++) {
        await orka.run(newCtx(i), traced);
        if ((i & 1023) === 1023) collector.clear();
      }
      collector.clear();
    }) as Body,
  },
  concurrent: {
    hand: concurrently((ctx) => hand(ctx)),
    none: concurrently((ctx) => orka.run(ctx)),
    trace: (async (n) => {
      await concurrently((ctx) => orka.run(ctx, traced))(n);
      collector.clear();
    }) as Body,
  },
};

/** `n` operations as batches of CONCURRENCY runs started together. */
function concurrently(start: (ctx: CheckoutCtx) => Promise<unknown>): Body {
  return async (n) => {
    const batch = new Array<Promise<unknown>>(CONCURRENCY);
    for (let done = 0; done < n; done += CONCURRENCY) {
      for (let j = 0; j < CONCURRENCY; j++) batch[j] = start(newCtx(done + j));
      await Promise.all(batch);
    }
  };
}

interface ModeResult {
  execution: 'sequential' | `${number} concurrent`;
  observer: 'none' | 'TraceCollector';
  hand: { usPerRun: Summary; runsPerSec: Summary };
  orka: { usPerRun: Summary; runsPerSec: Summary };
  /** Orka's time per run over the hand-written chain's, the median of each round's ratio. */
  ratio: Summary;
  /** (Orka - hand-written) per run, divided by the 12 step executions. */
  overheadPerStepUs: Summary;
}

async function main(): Promise<void> {
  await verify();
  const modes = [
    { kind: 'sequential', observer: 'none' },
    { kind: 'sequential', observer: 'trace' },
    { kind: 'concurrent', observer: 'none' },
    { kind: 'concurrent', observer: 'trace' },
  ] as const;

  const plan = [];
  for (const m of modes) {
    const set = bodies[m.kind];
    const unit = m.kind === 'concurrent' ? CONCURRENCY : 1;
    const orkaBody = set[m.observer];
    const handN = await calibrate(set.hand, unit, warmupMs, targetMs);
    const orkaN = await calibrate(orkaBody, unit, warmupMs, targetMs);
    plan.push({ m, handBody: set.hand, orkaBody, handN, orkaN, hand: [] as number[], orka: [] as number[] });
  }
  log(`kernel: warmed up; ${rounds} rounds of ${modes.length} modes`);

  for (let r = 0; r < rounds; r++) {
    for (const p of plan) {
      // Alternate which side goes first, so neither always runs on a warmer (or colder) machine.
      if (r % 2 === 0) {
        p.hand.push(usPerOp(await sample(p.handBody, p.handN)));
        p.orka.push(usPerOp(await sample(p.orkaBody, p.orkaN)));
      } else {
        p.orka.push(usPerOp(await sample(p.orkaBody, p.orkaN)));
        p.hand.push(usPerOp(await sample(p.handBody, p.handN)));
      }
    }
    log(`kernel: round ${r + 1}/${rounds}`);
  }

  const results: ModeResult[] = plan.map((p) => ({
    execution: p.m.kind === 'sequential' ? 'sequential' : `${CONCURRENCY} concurrent`,
    observer: p.m.observer === 'none' ? 'none' : 'TraceCollector',
    hand: { usPerRun: summarize(p.hand), runsPerSec: summarize(p.hand.map((u) => 1e6 / u)) },
    orka: { usPerRun: summarize(p.orka), runsPerSec: summarize(p.orka.map((u) => 1e6 / u)) },
    ratio: summarize(p.orka.map((o, i) => o / p.hand[i]!)),
    overheadPerStepUs: summarize(p.orka.map((o, i) => (o - p.hand[i]!) / STEP_EXECUTIONS)),
  }));
  writeResult(args.out, {
    suite: 'kernel',
    stepExecutionsPerRun: STEP_EXECUTIONS,
    concurrency: CONCURRENCY,
    rounds,
    sampleTargetMs: targetMs,
    modes: results,
  });
}

await main();
