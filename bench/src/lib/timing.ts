/**
 * A measured batch: `ops` operations in `ms` milliseconds of wall time and `cpuMs` milliseconds of
 * this process's CPU time (user + system, every thread: GC helpers included).
 */
export interface Sample {
  ops: number;
  ms: number;
  cpuMs: number;
}

/**
 * Microseconds per operation of a sample, by CPU time. On a machine shared with other work, wall
 * time also counts the time this process waited for a core; CPU time does not, and for work that
 * never waits on I/O (the kernel) it equals wall time on an idle machine.
 */
export function usPerOp(s: Sample): number {
  return (s.cpuMs * 1000) / s.ops;
}

/** Microseconds per operation of a sample, by wall time. */
export function wallUsPerOp(s: Sample): number {
  return (s.ms * 1000) / s.ops;
}

/**
 * Times `body(n)`, which performs `n` operations. No GC is forced before it: a forced full GC
 * shrinks V8's young generation, and the next tens of thousands of runs then pay for scavenges far
 * more often than in a steady state (measured: the kernel twice as slow after each `gc()`), which
 * would punish whichever side allocates more for an artefact of the harness.
 */
export async function sample(body: (n: number) => Promise<void>, n: number): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await body(n);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ops: n, ms, cpuMs: (c.user + c.system) / 1000 };
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
    rate = s.ops / Math.max(s.cpuMs, 0.001);
    if (s.ms < 20) n *= 2;
  }
  return Math.max(unit, Math.round((rate * targetMs) / unit) * unit);
}
