import type { CompiledPipeline } from '../definition/compiled.js';
import { globalObservers, notify } from '../observation/observers.js';
import type { ActiveRun, EnterRun } from '../types/active-run.js';
import type { Observer, OrkaEvent } from '../types/events.js';
import type { FanOutItemResult, FanOutOptions } from '../types/fan-out.js';
import type { PipelineResolver } from '../types/pipeline-ref.js';
import type { RunResult, StepRecord } from '../types/records.js';
import type { StepRun } from '../types/step-run.js';
import { linkAbort, type RunDeadline } from './policies/deadline.js';
import type { RunResources } from './policies/resources.js';
import { now } from './clock.js';
import { newRunId } from './run-id.js';
import { stepEvent, type EventPayload, type StepEventType } from './run-events.js';
import type { RunJournal } from './run-journal.js';

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

/**
 * Everything one run is: which pipeline, where it is, its context and its records. The executor is a
 * loop over this state rather than a chain of closures, so that a later release can save it after
 * any step and resume it elsewhere.
 */
export class RunState<C> implements ActiveRun {
  // Made on first use: a run in flight whose steps all left durations holds no array for them.
  private recordList: StepRecord[] | undefined = undefined;
  // The fast path's steps that completed plainly (no branch, stop or failure) have no record object
  // yet: their durations, for `pendingCount` steps from `pendingFrom` on (an array sized to the
  // pipeline). A run in flight then holds a number per such step; `records` makes the objects.
  /** @internal */ pendingFrom = 0;
  /** @internal */ pendingCount = 0;
  /** @internal */ declare pendingDurations: number[] | undefined;
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
  /** An inline branch sub-run's dispatching step, and the clock reading it (and that step) started at. */
  declare inlineOrigin: SubRunOrigin | undefined;
  declare inlineStartedAt: number | undefined;
  /** Wall time minus the clock, once per run tree with listeners: events' `at` come from the clock (K13). */
  declare private epochOffset: number | undefined;
  declare private lastEventAt: number | undefined;
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
    // Before the run's first clock reading: every `at` of the tree is then at least this wall time.
    if (this.emitting && parent === undefined) this.epochOffset = Date.now() - now();
  }

  /**
   * The run's id, a random UUID made on first use: many runs (sub-runs of branches, runs nobody
   * observes) never have theirs read, and a random UUID is among the dearest things a run does.
   */
  get runId(): string {
    return (this.id ??= newRunId());
  }

  /** One record per step reached, in the order the steps started. */
  get records(): StepRecord[] {
    if (this.pendingCount !== 0) this.makePendingRecords();
    return (this.recordList ??= []);
  }

  private makePendingRecords(): void {
    const { steps } = this.compiled;
    const durations = this.pendingDurations!;
    const list = (this.recordList ??= []);
    for (let k = 0; k < this.pendingCount; k++) {
      list.push({
        step: steps[this.pendingFrom + k]!.name,
        status: 'completed',
        attempts: 1,
        durationMs: durations[k]!,
      });
    }
    this.pendingCount = 0;
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

  /**
   * Sends an event to this run's observers and the global ones. Call only when `emitting`. `clock` is
   * a reading of the clock made for the event's moment, when the caller has one (a step boundary).
   */
  emit(payload: EventPayload, clock = now()): void {
    // The payload is a fresh literal at every call site: completed in place rather than copied.
    const event = payload as OrkaEvent;
    event.runId = this.runId;
    if (this.parent !== undefined) event.parentRunId = this.parent.runId;
    event.pipeline = this.compiled.name;
    event.at = this.epochAt(clock);
    this.send(event);
  }

  /** `step.started` or `step.completed` at the clock reading `clock` (see {@link stepEvent}). */
  emitStep(type: StepEventType, step: string, clock: number, durationMs?: number): void {
    this.send(
      stepEvent(
        type,
        step,
        this.runId,
        this.parent?.runId,
        this.compiled.name,
        this.epochAt(clock),
        durationMs,
      ),
    );
  }

  /**
   * Epoch milliseconds of a clock reading, whole as `Date.now()` gives them, and never before the
   * tree's last event: a step's `step.started` is stamped with the boundary reading that preceded it,
   * and events in between (a skipped step, a concurrent step's) read the clock later.
   */
  private epochAt(clock: number): number {
    const root = this.root as RunState<unknown>;
    // A run that had no listeners when it started (a global observer added since) sets it now.
    const at = Math.floor((root.epochOffset ??= Date.now() - now()) + clock);
    const last = root.lastEventAt;
    if (last !== undefined && at < last) return last;
    root.lastEventAt = at;
    return at;
  }

  private send(event: OrkaEvent): void {
    for (const observer of this.observers) notify(observer, event);
    for (const observer of globalObservers()) notify(observer, event);
  }
}
