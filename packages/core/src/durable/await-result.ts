import type { CompiledPipeline } from '../definition/compiled.js';
import { RunNotFoundError } from '../errors/durable-errors.js';
import type { RunStore } from '../stores/run-store.js';
import type { RunResult } from '../types/records.js';
import type { Limiter } from './limiter.js';
import type { LocalRuns } from './execution/local-runs.js';
import { endedResult } from './run-snapshot.js';

/** What waiting for a run's result needs from its runner. */
export interface ResultSource {
  local: LocalRuns;
  store: RunStore;
  /** Bounds the store reads of many waiters on runs that execute elsewhere. */
  reads: Limiter;
  pollMs: number;
  /** Whether this process may take an abandoned run up itself (it is open, and it executes runs). */
  mayTakeUp(): boolean;
  compiled(pipeline: string): CompiledPipeline<unknown> | undefined;
}

/**
 * The result of a run once it has ended, wherever it executes (D6, S4): the outcome kept here for a run
 * that ended here (a failure with the very error object), else the store's, looked at again when an
 * execution here settles, when a queue event says a delivery settled elsewhere, or every `pollMs`.
 */
export async function awaitResult<C>(source: ResultSource, runId: string): Promise<RunResult<C>> {
  const { local, store } = source;
  for (;;) {
    const here = local.outcome(runId);
    if (here !== undefined) return here as Promise<RunResult<C>>;
    if (local.isExecuting(runId)) {
      await local.settledOrAfter(runId, source.pollMs);
      continue;
    }
    const loaded = await source.reads.run(() => store.load(runId));
    if (loaded === undefined) throw new RunNotFoundError(runId);
    const { status, leaseUntil } = loaded.run;
    if (status !== 'running' && status !== 'waiting')
      return endedResult(loaded, source.compiled(loaded.run.pipeline)) as RunResult<C>;
    // Abandoned by its owner: take it up now rather than at the next poll (D4).
    if (source.mayTakeUp() && status === 'running' && (leaseUntil ?? 0) <= Date.now())
      await local.takeUp(runId);
    if (!local.isExecuting(runId)) await local.settledOrAfter(runId, source.pollMs);
  }
}
