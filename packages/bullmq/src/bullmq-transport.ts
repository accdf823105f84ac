import { randomUUID } from 'node:crypto';
import {
  OrkaConfigurationError,
  type DeliveryReason,
  type OrkaEvent,
  type RunTransport,
  type TransportHost,
} from '@orka/core';
import { Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { publishable, RunRoots } from './run-events.js';

/** Options of a `BullMqTransport`. */
export interface BullMqTransportOptions {
  /** How to reach Redis: BullMQ's connection options (`{ host, port }`, a URL, or a client). */
  connection: ConnectionOptions;
  /** The queue's name (default `orka`). Every process of one application uses the same. */
  queue?: string;
  /** The prefix of the queue's Redis keys (BullMQ's `prefix`, default `bull`). */
  prefix?: string;
  /** How many runs a worker executes at once (default 8). */
  concurrency?: number;
  /**
   * How long a worker holds a job without renewing its lock, in ms (default 30000): set it to the
   * runner's `leaseMs`, so that BullMQ redelivers a dead worker's job about when its lease runs out.
   */
  lockDurationMs?: number;
}

/** BullMQ is never to fail a job for stalling: whether a run can go on is the store's lease's call (S2). */
const NEVER_GIVE_UP = 1_000_000;

interface RunJob {
  runId: string;
  reason: DeliveryReason;
}

/**
 * Durable runs on worker processes through BullMQ on Redis (S1-S5): one run is one job (the start's
 * job id is the run id); wakes (signals, timers) and runs let go at shutdown are jobs of their own, a
 * timer a delayed job. Job delivery, stalled-job detection, delays and redelivery are BullMQ's; which
 * process runs a run, and that each step commits once, is the store's (fenced leases). A worker's
 * lock lasts `lockDurationMs` (the lease's length), its stalled check runs at half of it, and a job
 * is never failed for stalling. Clients hear of runs through BullMQ's queue events: a delivery that
 * settled wakes `result()`, and a run's events (published as job progress) reach its followers.
 *
 * ```ts
 * new DurableRunner({ store, pipelines, transport: new BullMqTransport({ connection: { host, port } }), role: 'worker' });
 * ```
 */
export class BullMqTransport implements RunTransport {
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;
  private worker: Worker | undefined;
  /** The job each run executing here came with, to publish its events on. */
  private readonly jobs = new Map<string, Job<RunJob>>();
  private readonly roots = new RunRoots();

  constructor(private readonly options: BullMqTransportOptions) {}

  async open(host: TransportHost): Promise<void> {
    const { connection, prefix } = this.options;
    const name = this.options.queue ?? 'orka';
    const base = { connection, ...(prefix !== undefined && { prefix }) };
    this.queue = new Queue<RunJob>(name, base);
    if (host.role !== 'worker') {
      this.events = new QueueEvents(name, base);
      this.events.on('completed', ({ jobId }) => host.settled(runIdOf(jobId)));
      this.events.on('failed', ({ jobId }) => host.settled(runIdOf(jobId)));
      this.events.on('progress', ({ data }) => host.event(data as OrkaEvent));
      await this.events.waitUntilReady();
    }
    if (host.role !== 'client') {
      const lockDuration = this.options.lockDurationMs ?? 30_000;
      this.worker = new Worker<RunJob>(
        name,
        async (job) => {
          this.jobs.set(job.data.runId, job);
          try {
            await host.execute(job.data.runId);
          } finally {
            if (this.jobs.get(job.data.runId) === job) this.jobs.delete(job.data.runId);
          }
          return job.data.runId;
        },
        {
          ...base,
          concurrency: this.options.concurrency ?? 8,
          lockDuration,
          stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
          maxStalledCount: NEVER_GIVE_UP,
        },
      );
      await this.worker.waitUntilReady();
    }
    await this.queue.waitUntilReady();
  }

  async deliver(runId: string, options: { reason: DeliveryReason; delayMs?: number }): Promise<void> {
    if (this.queue === undefined) {
      const message =
        'BullMqTransport.deliver(): the transport is not open; the DurableRunner opens it in open().';
      throw new OrkaConfigurationError([message], 'BullMqTransport', [{ kind: 'run-store', message }]);
    }
    // The start's job is the run's id (S1); a wake is a job of its own (the start's may still be held).
    const jobId = options.reason === 'start' ? runId : `${runId}.${options.reason}.${randomUUID()}`;
    await this.queue.add(
      'run',
      { runId, reason: options.reason },
      {
        jobId,
        ...(options.delayMs !== undefined && options.delayMs > 0 && { delay: Math.ceil(options.delayMs) }),
        removeOnComplete: true,
        removeOnFail: true,
        // A delivery that failed (its worker closing, the store away) is delivered again, later.
        attempts: NEVER_GIVE_UP,
        backoff: { type: 'fixed', delay: 500 },
      },
    );
  }

  publish(event: OrkaEvent): void {
    const root = this.roots.rootOf(event);
    const job = this.jobs.get(root);
    // Fire and forget: an event that does not reach a client costs the run nothing.
    if (job !== undefined) void job.updateProgress(publishable(event, root)).catch(() => undefined);
  }

  async close(): Promise<void> {
    // The worker first: it stops taking jobs and waits for those in hand, whose runs the runner lets
    // go and delivers again through the queue, which must still be open then (S5).
    await this.worker?.close();
    await this.events?.close();
    await this.queue?.close();
  }
}

/** The run a job is for: the start's job is the run's id; a wake's is `<runId>.<reason>.<uuid>`. */
function runIdOf(jobId: string): string {
  const dot = jobId.indexOf('.');
  return dot === -1 ? jobId : jobId.slice(0, dot);
}
