import type { BranchId } from '../types/records.js';
import type { Observer } from '../types/events.js';
import type { OrkaEvent } from '../types/events.js';
import { addObserver } from './observers.js';

/**
 * An observer that records events, for tests and debugging (K13). Pass `collector.observer` as a run's
 * observer, or create one with {@link TraceCollector.global} to record every run in the process.
 */
export class TraceCollector {
  /** Every event recorded, in the order they were emitted. */
  readonly events: OrkaEvent[] = [];
  private detach?: () => void;
  private stopped = false;

  /** Creates a collector already attached to every run in the process, until {@link stop}. */
  static global(): TraceCollector {
    return TraceCollector.attach(addObserver);
  }

  /**
   * Creates a collector attached with `subscribe`, which receives the collector's observer and returns
   * the function that detaches it; {@link stop} calls that function.
   */
  static attach(subscribe: (observer: Observer) => () => void): TraceCollector {
    const collector = new TraceCollector();
    collector.detach = subscribe(collector.observer);
    return collector;
  }

  /** The observer to pass to `run(ctx, { observer })`. */
  readonly observer: Observer = (event) => {
    if (!this.stopped) this.events.push(event);
  };

  /** The names of the steps that completed, in event order; of one run when `runId` is given. */
  stepsCompleted(runId?: string): string[] {
    return this.select('step.completed', runId).map((e) => e.step!);
  }

  /** The names of the steps that were skipped, in event order; of one run when `runId` is given. */
  stepsSkipped(runId?: string): string[] {
    return this.select('step.skipped', runId).map((e) => e.step!);
  }

  /** The branches taken by conditional steps, in event order; of one run when `runId` is given. */
  branches(runId?: string): { step: string; branch: BranchId }[] {
    return this.events
      .filter((e) => e.type === 'branch.matched' && (runId === undefined || e.runId === runId))
      .map((e) => {
        const matched = e as Extract<OrkaEvent, { type: 'branch.matched' }>;
        return { step: matched.step, branch: matched.branch };
      });
  }

  /** Forgets every event recorded so far. */
  clear(): void {
    this.events.length = 0;
  }

  /** Stops recording and detaches the collector where it was attached. */
  stop(): void {
    this.stopped = true;
    this.detach?.();
    this.detach = undefined;
  }

  private select(type: OrkaEvent['type'], runId: string | undefined): OrkaEvent[] {
    return this.events.filter((e) => e.type === type && (runId === undefined || e.runId === runId));
  }
}
