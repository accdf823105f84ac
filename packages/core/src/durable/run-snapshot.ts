import type { CompiledPipeline } from '../definition/compiled.js';
import { RunFailedError } from '../errors/durable-errors.js';
import { recordFailure } from '../errors/run-failure.js';
import type { LoadedRun, StoredError, StoredRun, StoredRunStatus } from '../stores/run-store.js';
import type { RunResult, StepRecord } from '../types/records.js';
import { decodeContext } from './context-codec.js';

/** A step's record in a snapshot: errors as the store keeps them (plain data). */
export type SnapshotStepRecord = Omit<StepRecord, 'error' | 'compensationError'> & {
  error?: StoredError;
  compensationError?: StoredError;
};

/** What a waiting run waits for: a signal (with its timeout), or a time. */
export type RunWaiting =
  { step: string; signal: string; timeoutAt?: number } | { step: string; until: number };

/** A durable run as its store has it, JSON-serialisable: for `get()`, pages and dashboards. */
export interface RunSnapshot {
  runId: string;
  pipeline: string;
  version?: string;
  definitionHash: string;
  status: StoredRunStatus;
  /** The context as last committed, as plain JSON data. */
  context: unknown;
  /** The root run's records, in commit order. */
  steps: SnapshotStepRecord[];
  waiting?: RunWaiting;
  error?: StoredError;
  parentRunId?: string;
  idempotencyKey?: string;
  /** Who executes it now, when anyone does. */
  owner?: string;
  /** Set when this runner's definition of the pipeline differs from the run's: another process must run it (D5). */
  blocked?: { reason: 'definition'; runHash: string; ownHash: string | undefined };
  /** Set when a cancellation was asked for and the run has not ended yet. */
  cancelRequested?: string;
  createdAt: number;
  updatedAt: number;
}

/** A page of runs, newest first; `cursor` continues it. */
export interface RunSnapshotPage {
  runs: RunSnapshot[];
  cursor?: string;
}

/** The root run's records, as committed (entries whose key is a step name: no path, no mark). */
export function rootRecords(loaded: LoadedRun): SnapshotStepRecord[] {
  const records: SnapshotStepRecord[] = [];
  for (const entry of loaded.steps) {
    if (entry.key.includes('/') || entry.key.includes('#')) continue;
    const data = JSON.parse(entry.data) as { t: string; record?: SnapshotStepRecord };
    if (data.t === 'step' && data.record) records.push(data.record);
  }
  return records;
}

/** A run's snapshot; `ownHash` is this runner's hash of its pipeline, to tell a blocked run (D5). */
export function snapshotOf(
  loaded: LoadedRun,
  ownHash: string | undefined,
  steps = rootRecords(loaded),
): RunSnapshot {
  const run: StoredRun = loaded.run;
  const wait = run.wait;
  const ended = run.status !== 'running' && run.status !== 'waiting';
  return {
    runId: run.runId,
    pipeline: run.pipeline,
    ...(run.version !== undefined && { version: run.version }),
    definitionHash: run.definitionHash,
    status: run.status,
    context: JSON.parse(run.context) as unknown,
    steps,
    ...(wait?.kind === 'signal' && {
      waiting: {
        step: wait.step,
        signal: wait.signal,
        ...(wait.timeoutAt !== undefined && { timeoutAt: wait.timeoutAt }),
      },
    }),
    ...(wait?.kind === 'sleep' && { waiting: { step: wait.step, until: wait.until } }),
    ...(run.error !== undefined && { error: run.error }),
    ...(run.parentRunId !== undefined && { parentRunId: run.parentRunId }),
    ...(run.idempotencyKey !== undefined && { idempotencyKey: run.idempotencyKey }),
    ...(run.owner !== undefined && { owner: run.owner }),
    ...(!ended &&
      ownHash !== run.definitionHash && {
        blocked: { reason: 'definition' as const, runHash: run.definitionHash, ownHash },
      }),
    ...(!ended && run.cancelRequested !== undefined && { cancelRequested: run.cancelRequested }),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
}

/** The result of an ended run, from its store; a failed one rejects with `RunFailedError`, its failure recorded (D6). */
export function endedResult<C>(loaded: LoadedRun, compiled: CompiledPipeline<C> | undefined): RunResult<C> {
  try {
    return storedResult(loaded, compiled);
  } catch (err) {
    const error = loaded.run.error;
    recordFailure(err, {
      pipeline: error?.pipeline ?? loaded.run.pipeline,
      step: error?.step ?? '',
      runId: loaded.run.runId,
      parentRunId: undefined,
      rootRunId: loaded.run.runId,
      steps: [],
    });
    throw err;
  }
}

/**
 * The result of an ended run, from its store (a run this process did not end, or ended before a
 * restart): resolves for a completed, stopped or cancelled run; a failed one rejects with
 * `RunFailedError` (D6).
 */
export function storedResult<C>(loaded: LoadedRun, compiled: CompiledPipeline<C> | undefined): RunResult<C> {
  const run = loaded.run;
  if (run.status === 'failed') {
    throw RunFailedError.of(
      run.runId,
      run.pipeline,
      run.error ?? { name: 'Error', message: 'failed', step: '' },
    );
  }
  const steps = rootRecords(loaded).map(({ error, compensationError, ...record }): StepRecord => ({
    ...record,
    ...(error !== undefined && { error: RunFailedError.of(run.runId, run.pipeline, error) }),
    ...(compensationError !== undefined && {
      compensationError: RunFailedError.of(run.runId, run.pipeline, compensationError),
    }),
  }));
  return {
    runId: run.runId,
    pipeline: run.pipeline,
    outcome: run.status as RunResult<C>['outcome'],
    context: decodeContext(compiled?.codec, run.context),
    steps,
    durationMs: run.updatedAt - run.createdAt,
  };
}
