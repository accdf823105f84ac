import type { Pipeline } from '../../pipeline.js';
import type { Observer } from '../../types/events.js';
import type { RunResult } from '../../types/records.js';
import { announce } from './run-announcements.js';
import { RunExecution, type ExecutionEnd, type ExecutionHost } from './run-execution.js';

/** What the runs executing here need from their runner. */
export interface LocalRunsHost extends ExecutionHost {
  pollMs: number;
  /** The pipeline of that name and definition hash, when this runner has it (D5). */
  pipelineOf(name: string, hash: string): Pipeline<unknown> | undefined;
  /** A run executing here stopped without ending: it waits (until `wakeAt`, if it has a timer), or was let go. */
  stoppedHere?(runId: string, how: { reason: 'suspended' | 'released'; wakeAt?: number }): void;
}

type Outcome = { ok: true; result: RunResult<unknown> } | { ok: false; error: unknown };

/** How many ended runs keep their outcome here for `result()`, with the very error object (D6). */
const OUTCOMES_KEPT = 1_000;

/**
 * The durable runs executing in this process, and the outcomes of those that ended here: what
 * `result()` waits on before it asks the store.
 */
export class LocalRuns {
  private readonly executing = new Map<string, { execution: RunExecution; done: Promise<void> }>();
  private readonly ended = new Map<string, Outcome>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private renewal: ReturnType<typeof setInterval> | undefined;
  private renewing = false;
  private readonly claiming = new Set<string>();
  private readonly runObservers = new Map<string, Observer>();

  constructor(private readonly host: LocalRunsHost) {}

  get leaseMs(): number {
    return this.host.leaseMs;
  }

  /** Executes a run just created with this process as its owner (fence 1). */
  startHere(
    pipeline: Pipeline<unknown>,
    runId: string,
    context: unknown,
    observer: Observer | undefined,
  ): void {
    const execution = new RunExecution(this.host, pipeline, {
      runId,
      lease: { owner: this.host.owner, fence: 1 },
      steps: [],
      signals: [],
    });
    // The run's own observer follows it while it runs in this process, across its waits too.
    if (observer !== undefined) this.runObservers.set(runId, observer);
    this.track(execution, execution.execute({ kind: 'started', context }, observer));
  }

  /** Claims a run that needs an owner and executes it here, when this runner has its definition (D4, D5). */
  async takeUp(runId: string): Promise<void> {
    // The poller and a waiting result() may both ask for the run at once: one claim, not two (a second
    // claim by this owner would raise the fence under the first execution).
    if (this.executing.has(runId) || this.claiming.has(runId)) return;
    this.claiming.add(runId);
    try {
      await this.claimAndExecute(runId);
    } finally {
      this.claiming.delete(runId);
    }
  }

  private async claimAndExecute(runId: string): Promise<void> {
    const claim = await this.host.store.claim(runId, this.host.owner, this.host.leaseMs, Date.now());
    if (claim === undefined) return;
    const { run } = claim.loaded;
    const pipeline = this.host.pipelineOf(run.pipeline, run.definitionHash);
    if (pipeline === undefined) {
      // Not ours to run (another definition, D5): given back as it was, waiting on what it waited for.
      const { was } = claim;
      const back =
        was.status === 'waiting' ? { status: 'waiting' as const, wait: was.wait } : { release: true };
      await this.host.store.commit(runId, claim.lease, { ...back, now: Date.now() });
      return;
    }
    const execution = new RunExecution(this.host, pipeline, {
      runId,
      lease: claim.lease,
      steps: claim.loaded.steps,
      signals: claim.loaded.signals,
      ...(run.cancelRequested !== undefined && { cancelRequested: run.cancelRequested }),
    });
    const observer = this.runObservers.get(runId);
    announce(claim, this.host.owner, observer, this.host.observers);
    this.track(execution, execution.execute({ kind: 'taken', context: run.context }, observer));
  }

  /** Whether the run executes in this process now. */
  isExecuting(runId: string): boolean {
    return this.executing.has(runId);
  }

  /** Resolves when the run's execution here ends or stops; undefined when it does not execute here. */
  executionOf(runId: string): Promise<void> | undefined {
    return this.executing.get(runId)?.done;
  }

  /** Wakes the `result()` calls waiting on a run that moved on elsewhere (a worker's queue event). */
  wake(runId: string): void {
    const waiting = this.waiters.get(runId);
    this.waiters.delete(runId);
    for (const done of waiting ?? []) done();
  }

  /** Follows a run that executes elsewhere with its own observer (a client of workers, S4). */
  follow(runId: string, observer: Observer): void {
    this.runObservers.set(runId, observer);
  }

  /** The observer that follows a run, if any: for events that come from where it executes. */
  observerOf(runId: string): Observer | undefined {
    return this.runObservers.get(runId);
  }

  /** Cancels a run executing here at once (D7); false when it does not execute here. */
  cancelHere(runId: string, reason: string): boolean {
    const here = this.executing.get(runId);
    here?.execution.cancel(reason);
    return here !== undefined;
  }

  /** The outcome of a run that ended here, as the promise `result()` returns; undefined when none is kept. */
  outcome(runId: string): Promise<RunResult<unknown>> | undefined {
    const outcome = this.ended.get(runId);
    if (outcome === undefined) return undefined;
    return outcome.ok ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
  }

  /** Resolves when an execution of the run ends here, or after `ms`: `result()` then looks again. */
  settledOrAfter(runId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const list = this.waiters.get(runId) ?? [];
      list.push(done);
      this.waiters.set(runId, list);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** Waits for the runs executing here; after `releaseAfterMs`, stops them at their next commit. */
  async drain(releaseAfterMs: number | undefined): Promise<void> {
    const all = () => Promise.all([...this.executing.values()].map((e) => e.done));
    if (releaseAfterMs === undefined) return void (await all());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>(
      (resolve) => (timer = setTimeout(() => resolve('late'), releaseAfterMs)),
    );
    if ((await Promise.race([all(), late])) === 'late') {
      for (const { execution } of this.executing.values()) execution.release();
      await all();
    }
    clearTimeout(timer);
  }

  private track(execution: RunExecution, ending: Promise<ExecutionEnd>): void {
    const done = ending.then(
      (end) => this.settle(execution.runId, end),
      (error: unknown) => this.settle(execution.runId, { kind: 'failed', error }),
    );
    this.executing.set(execution.runId, { execution, done });
    if (this.renewal === undefined) {
      this.renewal = setInterval(() => void this.renewAll(), Math.max(50, this.host.leaseMs / 3));
      this.renewal.unref?.();
    }
  }

  /**
   * Renews the leases of every run executing here in one write to the store, every third of the lease
   * (D4): a process running a thousand runs renews once, not a thousand times. A run whose lease has
   * passed to another owner stops. A renewal that fails (the database is away) is tried again at the
   * next tick; should the lease run out meanwhile, the fence refuses this process's next commit.
   */
  private async renewAll(): Promise<void> {
    if (this.executing.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
      return;
    }
    if (this.renewing) return;
    this.renewing = true;
    try {
      const live = [...this.executing.values()].map((e) => e.execution).filter((e) => !e.ledger.halted);
      const leases = live.map((e) => ({ runId: e.runId, fence: e.ledger.lease.fence }));
      const kept = new Set(
        await this.host.store.renew(this.host.owner, leases, this.host.leaseMs, Date.now()),
      );
      for (const execution of live) if (!kept.has(execution.runId)) execution.leaseLost();
    } catch {
      // Tried again at the next tick (see above).
    } finally {
      this.renewing = false;
    }
  }

  private settle(runId: string, end: ExecutionEnd): void {
    this.executing.delete(runId);
    if (end.kind === 'ended') this.keep(runId, { ok: true, result: end.result });
    else if (end.kind === 'failed') this.keep(runId, { ok: false, error: end.error });
    if (end.kind !== 'halted' || end.reason !== 'suspended') this.runObservers.delete(runId);
    const waiting = this.waiters.get(runId);
    this.waiters.delete(runId);
    for (const wake of waiting ?? []) wake();
    // What the run suspended for was already there (a signal sent just before): it goes on at once (W2).
    if (end.kind === 'halted' && end.wakeNow) void this.takeUp(runId).catch(() => undefined);
    else if (end.kind === 'halted' && end.reason !== 'lease-lost')
      this.host.stoppedHere?.(runId, {
        reason: end.reason,
        ...(end.wakeAt !== undefined && { wakeAt: end.wakeAt }),
      });
  }

  private keep(runId: string, outcome: Outcome): void {
    this.ended.set(runId, outcome);
    if (this.ended.size > OUTCOMES_KEPT) this.ended.delete(this.ended.keys().next().value!);
  }
}
