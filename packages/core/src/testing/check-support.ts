// What the run store checks share: fixed times, fresh ids, assertions that say what was expected.
import { OrkaError } from '../errors/orka-error.js';
import type { NewRun, RunStore } from '../stores/run-store.js';

/** A run store did not behave as every store must; the message says which check and what was expected. */
export class RunStoreCheckError extends OrkaError {
  readonly code = 'RUN_STORE_CHECK_FAILED';

  constructor(
    /** The check that failed. */
    readonly check: string,
    message: string,
  ) {
    super(`Run store check "${check}" failed: ${message}`);
  }
}

/** One behaviour every run store must have. */
export interface RunStoreCheck {
  name: string;
  run(store: RunStore): Promise<void>;
}

export const T0 = 1_700_000_000_000;
export const LEASE = 10_000;

let seq = 0;
/** A run id unique across checks, so that a store shared by several checks never mixes them up. */
export const id = (label: string) => `check-${label}-${process.pid}-${Date.now()}-${++seq}`;

export function newRun(runId: string, extra: Partial<NewRun> = {}): NewRun {
  return { runId, pipeline: 'checked', definitionHash: 'h1', context: '{"n":0}', now: T0, ...extra };
}

export function expectEqual(check: string, what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new RunStoreCheckError(check, `${what}: expected ${e}, got ${a}`);
}

export function expectThat(check: string, what: string, ok: boolean): void {
  if (!ok) throw new RunStoreCheckError(check, what);
}

export async function claimed(store: RunStore, check: string, runId: string, owner: string, now: number) {
  const got = await store.claim(runId, owner, LEASE, now);
  expectThat(check, `${owner} could not claim ${runId} at +${now - T0} ms`, got !== undefined);
  return got!;
}
