import type { OrkaEvent } from '../../types/events.js';

/** What a process does with durable runs when they go through a transport (S1). */
export type RunnerRole = 'client' | 'worker' | 'both';

/** Why a run is delivered. */
export type DeliveryReason = 'start' | 'signal' | 'timer' | 'released' | 'cancel';

/**
 * How runs reach the processes that execute them when one process is not enough (S1-S5): a queue
 * (`BullMqTransport` from `@orka/bullmq`) delivers each run to one worker at a time, as one job; the
 * store's leases keep the commits exactly-once whatever the queue does. A transport adds no scheduling
 * of its own beyond its queue's: delivery, delays and redelivery of a job whose worker died are the
 * queue's.
 */
export interface RunTransport {
  /** Connects; a worker (role `worker` or `both`) starts taking deliveries and calling `host.execute`. */
  open(host: TransportHost): Promise<void>;
  /** Asks for the run to be executed by some worker: at once, or after `delayMs` (a timer, W3). */
  deliver(runId: string, options: { reason: DeliveryReason; delayMs?: number }): Promise<void>;
  /** Passes an event of a run executing in this worker on to the clients that follow it (S4). */
  publish(event: OrkaEvent): void;
  /**
   * Stops taking deliveries and lets the ones in hand finish (their runs were let go by the runner
   * first, and delivered again for other workers: S5); then disconnects.
   */
  close(): Promise<void>;
}

/** What a transport asks of the runner it serves. */
export interface TransportHost {
  readonly role: RunnerRole;
  /** Executes a delivered run here until it ends, waits or is let go; resolves then (a worker). */
  execute(runId: string): Promise<void>;
  /** A delivery of the run ended somewhere: its `result()` waiters look at the store again (S4). */
  settled(runId: string): void;
  /** An event of a run that executes elsewhere, for whoever follows it here (S4). */
  event(event: OrkaEvent): void;
}
