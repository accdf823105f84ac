import { runStoreRules } from '../../stores/store-rules.js';
import type { RunStore } from '../../stores/run-store.js';
import type { OrkaEvent } from '../../types/events.js';
import type { LocalRuns } from '../execution/local-runs.js';
import type { DeliveryReason, RunnerRole, RunTransport } from './run-transport.js';

/** A delivery that came to a worker that is closing: the queue gives it to another (S5). */
class WorkerClosing extends Error {
  constructor(runId: string) {
    super(`This worker is closing: run ${runId} goes to another.`);
  }
}

/**
 * A `DurableRunner`'s side of its transport (S1-S5): what a worker does with a delivered run, which
 * runs it hands back to the queue (timers, runs let go at shutdown), and how a client hears of runs
 * that execute on workers (queue events wake `result()`, published events reach followers).
 */
export class TransportLink {
  constructor(
    private readonly transport: RunTransport,
    readonly role: RunnerRole,
    private readonly store: RunStore,
    private readonly local: LocalRuns,
    private readonly isOpen: () => boolean,
    /** Whether this runner has the definition a run was started on (D5). */
    private readonly knows: (pipeline: string, hash: string) => boolean,
  ) {}

  /** Whether this process executes runs. */
  get executes(): boolean {
    return this.role !== 'client';
  }

  open(): Promise<void> {
    return this.transport.open({
      role: this.role,
      execute: (runId) => this.execute(runId),
      settled: (runId) => this.local.wake(runId),
      event: (event) => this.local.observerOf(rootOf(event))?.(event),
    });
  }

  deliver(runId: string, reason: DeliveryReason, delayMs?: number): Promise<void> {
    return this.transport.deliver(runId, { reason, ...(delayMs !== undefined && { delayMs }) });
  }

  /** Events of the runs executing here, for clients that follow them. */
  publish(event: OrkaEvent): void {
    if (this.executes) this.transport.publish(event);
  }

  /** A run stopped here without ending: its timer, or another worker now, takes it on (W3, S5). */
  stopped(runId: string, how: { reason: 'suspended' | 'released'; wakeAt?: number }): void {
    const delivery =
      how.reason === 'released'
        ? this.deliver(runId, 'released')
        : how.wakeAt !== undefined
          ? this.deliver(runId, 'timer', Math.max(0, how.wakeAt - Date.now()))
          : undefined;
    // A delivery that fails leaves the run to the pollers of the workers (it is due in the store).
    delivery?.catch(() => undefined);
  }

  /**
   * Executes a delivered run until it ends, waits or is let go. A run still leased by a worker that
   * died (its job redelivered by the queue's stalled check) is waited for until that lease runs out
   * (D4): the queue delivers, the store decides who runs.
   */
  async execute(runId: string): Promise<void> {
    for (;;) {
      if (!this.isOpen()) throw new WorkerClosing(runId);
      const running = this.local.executionOf(runId);
      if (running !== undefined) return running;
      const loaded = await this.store.load(runId);
      if (loaded === undefined) return;
      const { run, signals } = loaded;
      const now = Date.now();
      // Not this worker's to run (another definition, D5): a worker that has it takes it.
      if (runStoreRules.isEnded(run.status) || !this.knows(run.pipeline, run.definitionHash)) return;
      if (run.status === 'waiting' && !runStoreRules.wakesNow(run, signals, now)) return;
      if (run.status === 'running' && run.owner !== undefined && (run.leaseUntil ?? 0) > now) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(run.leaseUntil! - now + 5, 1_000)));
        continue;
      }
      await this.local.takeUp(runId);
      const taken = this.local.executionOf(runId);
      if (taken !== undefined) return taken;
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The run an event belongs to at the top: transports tag sub-runs' events with it. */
function rootOf(event: OrkaEvent): string {
  return (event as { rootRunId?: string }).rootRunId ?? event.runId;
}
