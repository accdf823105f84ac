import { maybeGc } from './io.js';

/** A measured batch: `ops` operations in `ms` milliseconds. */
export interface Sample {
  ops: number;
  ms: number;
}

/** Microseconds per operation of a sample. */
export function usPerOp(s: Sample): number {
  return (s.ms * 1000) / s.ops;
}

/** Operations per second of a sample. */
export function opsPerSec(s: Sample): number {
  return (s.ops * 1000) / s.ms;
}

/**
 * Times `body(n)`, which performs `n` operations. A full GC runs first (when exposed), so that each
 * sample starts from a clean heap and pays for the garbage it makes itself.
 */
export async function sample(body: (n: number) => Promise<void>, n: number): Promise<Sample> {
  maybeGc();
  const t0 = performance.now();
  await body(n);
  return { ops: n, ms: performance.now() - t0 };
}

/**
 * Warms `body` up for about `warmupMs` and returns the operation count that makes one sample last
 * about `targetMs` (a multiple of `unit`, at least one unit).
 */
export async function calibrate(
  body: (n: number) => Promise<void>,
  unit: number,
  warmupMs: number,
  targetMs: number,
): Promise<number> {
  let n = unit;
  let spent = 0;
  let rate = 0;
  while (spent < warmupMs) {
    const s = await sample(body, n);
    spent += s.ms;
    rate = s.ops / Math.max(s.ms, 0.001);
    if (s.ms < 20) n *= 2;
  }
  return Math.max(unit, Math.round((rate * targetMs) / unit) * unit);
}
