import type { StepRecord } from '../types/records.js';

/** Where an error that escaped a run came from (K3). */
export interface RunFailure {
  /** The pipeline in which the error was thrown (the innermost, for errors from sub-runs). */
  pipeline: string;
  /** The step in which the error was thrown (`'onFinish'` when a finisher failed the run). */
  step: string;
  /** The run in which the error was thrown (the innermost). */
  runId: string;
  /** The outermost run that the error escaped. */
  rootRunId: string;
  /** The outermost run's step records. */
  steps: StepRecord[];
}

interface FailureEntry extends RunFailure {
  // The parent of the run now recorded as root: lets an enclosing run tell an error that bubbled up
  // from its own sub-run from the same object thrown again somewhere unrelated.
  rootParentRunId: string | undefined;
}

// Shared by the ESM and CommonJS builds, like the global observers.
const tableKey = Symbol.for('orka:run-failures');
type GlobalWithTable = typeof globalThis & { [tableKey]?: WeakMap<object, FailureEntry> };
const failures: WeakMap<object, FailureEntry> = ((globalThis as GlobalWithTable)[tableKey] ??= new WeakMap());

// A thrown value that is not an object (a string, say) cannot key a WeakMap: the last failures with
// such values are kept by value, a bounded few, the most recent winning.
const primitiveKey = Symbol.for('orka:run-failures:primitive');
type GlobalWithPrimitives = typeof globalThis & { [primitiveKey]?: Map<unknown, FailureEntry> };
const primitiveFailures: Map<unknown, FailureEntry> = ((globalThis as GlobalWithPrimitives)[primitiveKey] ??=
  new Map<unknown, FailureEntry>());
const primitiveLimit = 64;

function lookup(err: unknown): FailureEntry | undefined {
  if (typeof err === 'object' && err !== null) return failures.get(err);
  return primitiveFailures.get(err);
}

function store(err: unknown, entry: FailureEntry): void {
  if (typeof err === 'object' && err !== null) {
    failures.set(err, entry);
    return;
  }
  primitiveFailures.delete(err);
  primitiveFailures.set(err, entry);
  if (primitiveFailures.size > primitiveLimit)
    primitiveFailures.delete(primitiveFailures.keys().next().value);
}

/**
 * Tells where an error that escaped a run was thrown: `{ pipeline, step, runId, rootRunId, steps }`,
 * or `undefined` for an error that did not come out of a run (K3). For a thrown value that is not an
 * object (a string), it tells about the most recent run that failed with that value.
 */
export function runFailure(err: unknown): RunFailure | undefined {
  const entry = lookup(err);
  if (!entry) return undefined;
  const { pipeline, step, runId, rootRunId, steps } = entry;
  return { pipeline, step, runId, rootRunId, steps };
}

/**
 * Records that `err` escaped the run `runId`. If it already escaped one of that run's sub-runs, the
 * innermost pipeline and step are kept and only the root moves outwards.
 */
export function recordFailure(
  err: unknown,
  at: {
    pipeline: string;
    step: string;
    runId: string;
    parentRunId: string | undefined;
    rootRunId: string;
    steps: StepRecord[];
  },
): void {
  const entry = lookup(err);
  // An enclosing run of the same tree settled first with this very error (a run deadline rejects
  // the parent and its sub-run at once): the outer record stands.
  if (
    entry &&
    entry.rootRunId === at.rootRunId &&
    entry.rootParentRunId === undefined &&
    at.parentRunId !== undefined
  ) {
    return;
  }
  if (entry && entry.rootParentRunId === at.runId) {
    entry.rootRunId = at.runId;
    entry.rootParentRunId = at.parentRunId;
    entry.steps = at.steps;
    return;
  }
  store(err, {
    pipeline: at.pipeline,
    step: at.step,
    runId: at.runId,
    rootRunId: at.runId,
    rootParentRunId: at.parentRunId,
    steps: at.steps,
  });
}
