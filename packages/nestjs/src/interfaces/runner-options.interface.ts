import type { Observer, RunOptions } from '@orka/core';

/** Options of a run through `PipelineRunner`: the kernel's run options. */
export type PipelineRunOptions = Pick<RunOptions, 'signal' | 'runId' | 'deadlineMs' | 'observer'>;

/** Options of `PipelineRunner.run$`. */
export interface PipelineStreamOptions extends PipelineRunOptions {
  /**
   * Cancel the run when the subscriber unsubscribes (a client that closed its event stream). Off by
   * default: a checkout must not stop halfway because nobody watches it any more.
   */
  cancelOnUnsubscribe?: boolean;
}

/** Options of `PipelineRunner.start` (durable pipelines). */
export interface PipelineStartOptions {
  /** A run with this key already there is not started again; `start()` resolves to its id (D1). */
  idempotencyKey?: string;
  /** The run's id; a random UUID by default. */
  runId?: string;
  /** Receives this run's events while it executes in this process. */
  observer?: Observer;
}
