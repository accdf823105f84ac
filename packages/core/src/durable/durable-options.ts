import type { EnterRun } from '../types/active-run.js';
import type { RunnerRole, RunTransport } from './transport/run-transport.js';
import type { RunStore } from '../stores/run-store.js';
import type { Observer } from '../types/events.js';
import type { PipelineRef, PipelineResolver } from '../types/pipeline-ref.js';

/** Options of a `DurableRunner`. */
export interface DurableRunnerOptions {
  /** Where runs are kept. */
  store: RunStore;
  /** Every pipeline the runner may meet, sub-pipelines included; found by name. */
  pipelines: readonly PipelineRef<unknown>[];
  /** This process's name in leases; random by default. */
  owner?: string;
  /** How long a lease lasts without renewal, in ms (default 30 s); renewed every third of it. */
  leaseMs?: number;
  /** How often due timers and abandoned runs are looked for, in ms (default 1 s). */
  pollMs?: number;
  /** Receives the events of every run this runner executes. */
  observer?: Observer;
  /**
   * Runs go through this queue to the processes that execute them (S1, `BullMqTransport` from
   * `@orka/bullmq`); without one, a run executes where it starts and pollers take abandoned ones up.
   */
  transport?: RunTransport;
  /** With a transport: `client` only starts, signals and reads runs; `worker` executes them; `both` (default) does both. */
  role?: RunnerRole;
  /** For framework integrations: finds the pipeline for a sub-run source that is not a pipeline. */
  resolvePipeline?: PipelineResolver;
  /** For framework integrations: what each run executed here runs inside, as `RunOptions.enterRun`. */
  enterRun?: EnterRun;
}

/** Options of `start()`. */
export interface DurableStartOptions {
  /** A run with this key already there is not started again; `start()` resolves to its id (D1). */
  idempotencyKey?: string;
  /** The run's id; a random UUID by default. */
  runId?: string;
  /** Receives this run's events while it executes in this process. */
  observer?: Observer;
}
