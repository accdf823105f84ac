import type { CompiledPipeline } from '../definition/compiled.js';
import type { BranchId, StepRecord } from '../types/records.js';
import type { RunHalt } from './run-halt.js';

/**
 * What a durable run's executor asks of its journal (D2, D6): the entries committed before (a resumed
 * run replays them instead of running their steps again), and the commits of new ones. One journal per
 * run or sub-run; absent for runs that are not durable, which then pay nothing for it.
 */
export interface RunJournal {
  /** The key a step's effects are idempotent under: `<rootRunId>:<path>`. */
  stepKey(step: string): string;
  /** The record a step committed before, when it did. */
  replay(step: string): StepRecord | undefined;
  /** Commits a step's record and `context` (this run's) after it; throws `RunHalt` when the lease is lost. */
  commit(step: string, record: StepRecord, context: unknown): Promise<void>;
  /** How many attempts of the step failed before (retries count across resumes). */
  failedAttempts(step: string): number;
  commitFailedAttempt(step: string, attempt: number): Promise<void>;
  /** The branch a conditional step took into a sub-pipeline before, when it did. */
  branchTaken(step: string): BranchId | undefined;
  commitBranch(step: string, branch: BranchId): Promise<void>;
  /** Whether this run's finishers ran before. */
  finished(): boolean;
  commitFinished(context: unknown): Promise<void>;
  /**
   * The journal of a sub-run of `pipeline` that `step` starts under `label`; `shared` when it shares this
   * run's context object (a branch without an extractor).
   */
  child(step: string, label: string, shared: boolean, pipeline: CompiledPipeline<unknown>): RunJournal;
  /** The context a sub-run runs on: the one it committed last, when it resumes; else `input`. */
  restore<C>(input: C): C;
  /** The timeout or the end of a wait of `step`, as committed when it first suspended (W3, W4). */
  waitUntil(step: string): number | undefined;
  /** A signal `name` there for `step`, not consumed yet: consumed with the step's next commit (W2). */
  takeSignal(step: string, name: string): { payload: unknown } | undefined;
  /**
   * Suspends the run at `step` (W1, W3): commits what it waits for and gives its lease up; resolves to
   * the `RunHalt` to throw, once the caller has announced the suspension (a listener that hears of it
   * reads the run as waiting).
   */
  suspend(step: string, wait: { signal?: string; until?: number }): Promise<RunHalt>;
}
