// Part 2a: per-step overhead at 10, 100 and 1,000 steps. Each pipeline is N async steps that each
// add 1 to ctx.total; the hand-written side awaits the same N functions in a loop. The overhead per
// step is (Orka - hand-written) / N, per round, and must stay flat as N grows.
import { strictEqual } from 'node:assert/strict';
import { Pipeline } from '@orka/core';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { summarize } from '../lib/stats.js';
import { calibrate, sample, usPerOp, type Sample } from '../lib/timing.js';

interface Ctx {
  total: number;
}

const args = parseArgs();
const sizes = [10, 100, 1000];
const rounds = Number(args.values.get('rounds') ?? (args.quick ? 5 : 11));
const targetMs = args.quick ? 60 : 150;
const warmupMs = args.quick ? 150 : 400;

function build(n: number) {
  const names = Array.from({ length: n }, (_, i) => `step_${i}`);
  const fns = names.map(() => async (ctx: Ctx) => {
    ctx.total += 1;
  });
  const orka = new Pipeline<Ctx>(`linear_${n}`, names);
  names.forEach((name, i) => orka.onStep(name, fns[i]!));
  orka.validate();
  const hand = async (ctx: Ctx): Promise<Ctx> => {
    for (let i = 0; i < fns.length; i++) await fns[i]!(ctx);
    return ctx;
  };
  return { orka, hand };
}

async function main(): Promise<void> {
  const plan = [];
  for (const n of sizes) {
    const { orka, hand } = build(n);
    strictEqual((await orka.run({ total: 0 })).context.total, n);
    strictEqual((await hand({ total: 0 })).total, n);
    const orkaBody = async (runs: number) => {
      for (let i = 0; i < runs; i++) await orka.run({ total: 0 });
    };
    const handBody = async (runs: number) => {
      for (let i = 0; i < runs; i++) await hand({ total: 0 });
    };
    plan.push({
      n,
      orkaBody,
      handBody,
      orkaN: await calibrate(orkaBody, 1, warmupMs, targetMs),
      handN: await calibrate(handBody, 1, warmupMs, targetMs),
      orka: [] as Sample[],
      hand: [] as Sample[],
    });
  }
  log(`scale/steps: verified and warmed up; ${rounds} rounds`);
  for (let r = 0; r < rounds; r++) {
    for (const p of plan) {
      if (r % 2 === 0) {
        p.hand.push(await sample(p.handBody, p.handN));
        p.orka.push(await sample(p.orkaBody, p.orkaN));
      } else {
        p.orka.push(await sample(p.orkaBody, p.orkaN));
        p.hand.push(await sample(p.handBody, p.handN));
      }
    }
  }
  writeResult(args.out, {
    suite: 'scale-steps',
    rounds,
    sizes: plan.map((p) => {
      const orka = p.orka.map(usPerOp);
      const hand = p.hand.map(usPerOp);
      return {
        steps: p.n,
        orkaUsPerRun: summarize(orka),
        handUsPerRun: summarize(hand),
        orkaUsPerStep: summarize(orka.map((o) => o / p.n)),
        handUsPerStep: summarize(hand.map((h) => h / p.n)),
        overheadPerStepUs: summarize(orka.map((o, i) => (o - hand[i]!) / p.n)),
        ratio: summarize(orka.map((o, i) => o / hand[i]!)),
      };
    }),
  });
}

await main();
