// Part 1: the kernel against a hand-written await chain, over the checkout workload (workload.ts).
// Sequential runs and batches of 1,000 concurrent runs, with no observer and with a TraceCollector.
// Both sides run in this one process, in alternating order, round after round; the tables report
// medians, and the ratio is the median of each round's own ratio (robust to drift in machine load).
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { TraceCollector, type RunOptions } from '@orka/core';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { summarize, type Summary } from '../lib/stats.js';
import { calibrate, sample, usPerOp, wallUsPerOp, type Sample } from '../lib/timing.js';
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

interface SideResult {
  /** CPU microseconds per run. */
  usPerRun: Summary;
  /** Runs per CPU second. */
  runsPerSec: Summary;
  /** Wall-clock microseconds per run. */
  wallUsPerRun: Summary;
}

function side(samples: Sample[]): SideResult {
  const us = samples.map(usPerOp);
  return {
    usPerRun: summarize(us),
    runsPerSec: summarize(us.map((u) => 1e6 / u)),
    wallUsPerRun: summarize(samples.map(wallUsPerOp)),
  };
}

interface ModeResult {
  execution: 'sequential' | `${number} concurrent`;
  observer: 'none' | 'TraceCollector';
  hand: SideResult;
  orka: SideResult;
  /** Orka's CPU time per run over the hand-written chain's, the median of each round's ratio. */
  ratio: Summary;
  /** (Orka - hand-written) per run, divided by the 12 step executions. */
  overheadPerStepUs: Summary;
  /** The same ratio by wall time (noisier on a shared machine). */
  wallRatio: Summary;
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
    plan.push({ m, handBody: set.hand, orkaBody, handN, orkaN, hand: [] as Sample[], orka: [] as Sample[] });
  }
  log(`kernel: warmed up; ${rounds} rounds of ${modes.length} modes`);

  for (let r = 0; r < rounds; r++) {
    for (const p of plan) {
      // Alternate which side goes first, so neither always runs on a warmer (or colder) machine.
      if (r % 2 === 0) {
        p.hand.push(await sample(p.handBody, p.handN));
        p.orka.push(await sample(p.orkaBody, p.orkaN));
      } else {
        p.orka.push(await sample(p.orkaBody, p.orkaN));
        p.hand.push(await sample(p.handBody, p.handN));
      }
    }
    log(`kernel: round ${r + 1}/${rounds}`);
  }

  const results: ModeResult[] = plan.map((p) => {
    const hand = p.hand.map(usPerOp);
    const orka = p.orka.map(usPerOp);
    return {
      execution: p.m.kind === 'sequential' ? 'sequential' : `${CONCURRENCY} concurrent`,
      observer: p.m.observer === 'none' ? 'none' : 'TraceCollector',
      hand: side(p.hand),
      orka: side(p.orka),
      ratio: summarize(orka.map((o, i) => o / hand[i]!)),
      overheadPerStepUs: summarize(orka.map((o, i) => (o - hand[i]!) / STEP_EXECUTIONS)),
      wallRatio: summarize(p.orka.map((o, i) => wallUsPerOp(o) / wallUsPerOp(p.hand[i]!))),
    };
  });
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
