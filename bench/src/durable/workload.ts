import { Pipeline } from '@orka/core';

/** Steps of the durable benchmark's pipeline: as many as a long checkout has. */
export const STEPS = 12;

export interface BenchCtx {
  n: number;
  /** Each step adds its number: a small context that changes at every step, as real ones do. */
  sum: number;
  keys: string[];
}

/** A pipeline of `STEPS` cheap steps (a real step awaits I/O; this one awaits nothing but a tick). */
export function benchPipeline(name = 'durable-bench'): Pipeline<BenchCtx> {
  const steps = Array.from({ length: STEPS }, (_, i) => `s${i + 1}`);
  const p = new Pipeline<BenchCtx>(name, steps, { version: '1' });
  steps.forEach((step, i) =>
    p.onStep(step, async (ctx, run) => {
      await Promise.resolve();
      ctx.sum += i + 1;
      if (i === 0) ctx.keys.push(run.stepKey);
    }),
  );
  return p;
}

export const newCtx = (n: number): BenchCtx => ({ n, sum: 0, keys: [] });
export const expectedSum = (STEPS * (STEPS + 1)) / 2;
