import type { Pipeline, StepRun } from '@orka/core';
export function chaosPipelines(
  effect: (run: StepRun, what: string) => Promise<void>,
): Pipeline<Record<string, unknown>>[];
export const CHAOS_EFFECTS: string[];
