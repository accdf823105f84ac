import { Pipeline } from '@orka/core';

/** The scale-out benchmark's run: five steps, each awaiting a tick (Orka and its store are what is measured). */
export function fiveSteps(): Pipeline<{ n: number; sum: number }> {
  const steps = ['s1', 's2', 's3', 's4', 's5'];
  const p = new Pipeline<{ n: number; sum: number }>('five', steps, { version: '1' });
  steps.forEach((s, i) =>
    p.onStep(s, async (ctx) => {
      await Promise.resolve();
      ctx.sum += i + 1;
    }),
  );
  return p;
}
