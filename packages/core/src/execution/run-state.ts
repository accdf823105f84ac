import type { RunHalt } from './run-halt.js';
import type { CompiledPipeline } from '../definition/compiled.js';
import { globalObservers, notify } from '../observation/observers.js';
import type { ActiveRun, EnterRun } from '../types/active-run.js';
import type { Observer, OrkaEvent } from '../types/events.js';
import type { FanOutItemResult, FanOutOptions } from '../types/fan-out.js';
import type { PipelineResolver } from '../types/pipeline-ref.js';
import type { BranchId, RunResult, StepRecord } from '../types/records.js';
import type { StepRun } from '../types/step-run.js';
import { linkAbort, type RunDeadline } from './policies/deadline.js';
import type { RunResources } from './policies/resources.js';
import { newRunId } from './run-id.js';

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

/** A sub-run's name within its step (`premium`, `payments#2`, `parcel[3]`), or how to make it from the pipeline's name. */
export type SubRunLabel = string | ((pipeline: string) => string);

/** The step, within a run, that starts a sub-run or a fan-out. */
export interface SubRunOrigin {
  /** The run the step belongs to: the sub-run's parent. */
  parentRun(): RunState<unknown>;
  readonly step: string;
  readonly runId: string;
  readonly pipeline: string;
  /** What cancels work started by the step: its attempt's own signal, else the run's. */
  abortSource(): AbortSignal | undefined;
}

/**
 * How a run starts runs of its own (K7, K14). Handed down from the top-level run to every sub-run, so
 * that the step code that starts sub-runs needs no import of the executor that runs them.
 */
export interface Composition {
  /** `label` tells the sub-run apart from others of the step, for durable runs' step keys. */
  subRun(
    origin: SubRunOrigin,
    source: unknown,
    input: unknown,
    label: SubRunLabel,
  ): Promise<RunResult<unknown>>;
  /** `call` counts the step's fan-outs (1 for its first), for the same reason. */
  fanOut(
    origin: SubRunOrigin,
    source: unknown,
    items: readonly unknown[],
    options: FanOutOptions | undefined,
    call: number,
  ): Promise<FanOutItemResult<unknown>[]>;
}

/** An event before the fields every event shares are filled in. */
export type EventPayload = OrkaEvent extends infer E
  ? E extends OrkaEvent
    ? Omit<E, 'runId' | 'parentRunId' | 'pipeline' | 'at'>
    : never
  : never;

/**
 * Everything one run is: which pipeline, where it is, its context and its records. The executor is a
 * loop over this state rather than a chain of closures, so that a later release can save it after
 * any step and resume it elsewhere.
 */
export class RunState<C> implements ActiveRun {
  /** One record per step reached, in the order the steps started. */
  readonly records: StepRecord[] = [];
  /** The position of the step running now (or next). */
  position = 0;
  // The fields below that are declared (not initialised) stay absent on the runs that never set them:
  // most runs, whose state is then a few fields smaller (it is held by every run in flight).
  /** Created when a handler first adds a resource. */
  declare resources: RunResources | undefined;
  /** Whether anything listens; when nothing does, no event object is ever built. */
  readonly emitting: boolean;
  /** The whole-run budget, when the run has one (R2). */
  declare deadline: RunDeadline | undefined;
  /** The steps running now, in the order they started; kept by the scheduler of concurrent steps only. */
  declare running: string[] | undefined;
  /** A durable run taken up again: its `run.started` was emitted where it started. */
  declare resumed: boolean | undefined;
  /** The durable run's journal; undefined for runs that are not durable. */
  declare journal: RunJournal | undefined;
  /** Finds pipelines for `run.subPipeline` sources that are not pipelines; inherited by sub-runs. */
  declare resolvePipeline: PipelineResolver | undefined;
  /** What every run of the tree runs inside (a framework's context store); inherited by sub-runs. */
  declare enterRun: EnterRun | undefined;
  /**
   * A branch's sub-run that the executor runs inline, in its parent's loop (K6): the step that
   * dispatched it, and the clock reading its parent's step started at, which is its own start.
   */
  declare inlineOrigin: SubRunOrigin | undefined;
  declare inlineStartedAt: number | undefined;
  declare private handlerController: AbortController | undefined;
  declare private unlinkHandlerSignal: (() => void) | undefined;

  private id: string | undefined;
  /** Set for a branch's sub-run, whose result reaches the dispatch only, never user code. A field of every run: set later, it would grow a sub-run's state more. */
  internal = false;
  /** The outermost run. */
  readonly root: RunState<unknown>;

  constructor(
    readonly compiled: CompiledPipeline<C>,
    readonly context: C,
    runId: string | undefined,
    /** The run that started this one as a sub-run. */
    readonly parent: RunState<unknown> | undefined,
    /** What cancels the run: the caller's signal, or the parent step's; absent when nothing can. */
    readonly signal: AbortSignal | undefined,
    /** The per-run observers: this run's own and those of the runs above it. */
    readonly observers: readonly Observer[],
    /** How this run starts sub-runs and fan-outs. */
    readonly composition: Composition,
  ) {
    this.emitting = observers.length > 0 || globalObservers().length > 0;
    this.id = runId;
    this.root = parent ? parent.root : (this as RunState<unknown>);
  }

  /**
   * The run's id, a random UUID made on first use: many runs (sub-runs of branches, runs nobody
   * observes) never have theirs read, and a random UUID is among the dearest things a run does.
   */
  get runId(): string {
    return (this.id ??= newRunId());
  }

  /** The id of the run that started this one, if any. */
  get parentRunId(): string | undefined {
    return this.parent?.runId;
  }

  /** The id of the outermost run. */
  get rootRunId(): string {
    return this.root.runId;
  }

  /** The pipeline's name. */
  get pipeline(): string {
    return this.compiled.name;
  }

  /** The step the run is at: `position` where steps run one at a time, else the earliest running. */
  get step(): string {
    return this.running?.[0] ?? this.compiled.steps[this.position]?.name ?? '';
  }

  /** Whether `run` is the step this run is at, in a run whose steps run one at a time. */
  isAt(run: StepRun): boolean {
    return (
      (run as { state?: unknown }).state === this &&
      this.compiled.sequential &&
      this.compiled.steps[this.position]?.name === run.step
    );
  }

  /**
   * The signal handed to handlers: one per run, made on first use only (runs whose handlers ignore
   * `run.signal` pay nothing for it), and aborting with the run's cancellation. Handlers get this one
   * rather than the caller's, because the caller's may outlive many runs (an application-wide
   * signal): listeners a handler adds and never removes then go away with the run, not pile up.
   */
  handlerSignal(): AbortSignal {
    if (this.handlerController === undefined) {
      this.handlerController = new AbortController();
      this.unlinkHandlerSignal = linkAbort(this.signal, this.handlerController);
    }
    return this.handlerController.signal;
  }

  /** Detaches the handlers' signal from the caller's once the run is over. */
  release(): void {
    this.unlinkHandlerSignal?.();
  }

  /** Sends an event to this run's observers and the global ones. Call only when `emitting`. */
  emit(payload: EventPayload): void {
    // The payload is a fresh literal at every call site: completed in place rather than copied.
    const event = payload as OrkaEvent;
    event.runId = this.runId;
    if (this.parent !== undefined) event.parentRunId = this.parent.runId;
    event.pipeline = this.compiled.name;
    event.at = Date.now();
    for (const observer of this.observers) notify(observer, event);
    for (const observer of globalObservers()) notify(observer, event);
  }
}
