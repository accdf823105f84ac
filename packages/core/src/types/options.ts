import type { Control } from '../definition/control.js';
import type { ContextCodec } from '../durable/context-codec.js';
import type { EnterRun } from './active-run.js';
import type { Observer } from './events.js';
import type { ContextPreparer } from './handlers.js';
import type { PipelineRef, PipelineResolver } from './pipeline-ref.js';

/** Retry policy of a step (R1). */
export interface RetryPolicy {
  /** Every try counts: 3 means at most 3 runs of the step. */
  attempts: number;
  /** `'fixed'` (default) waits `delayMs` every time; `'exponential'` waits `delayMs * 2^(n-1)` before the n-th retry. */
  backoff?: 'fixed' | 'exponential';
  /** The base delay between tries, in milliseconds (default 0). */
  delayMs?: number;
  /** Caps the computed delay. */
  maxDelayMs?: number;
  /** Waits a uniformly random 50% to 100% of the computed delay (default true). */
  jitter?: boolean;
  /** Says whether an error is worth another try; all errors are, when absent. */
  retryOn?: (err: unknown) => boolean;
  /** Error classes never worth another try (checked before `retryOn`), such as validation errors. */
  nonRetryable?: Array<abstract new (...args: never[]) => unknown>;
}

/** Per-step policies (R1, R2, R4, R6). */
export interface StepOptions {
  /** Retries of the step's handlers when they throw (R1). */
  retry?: RetryPolicy;
  /** The step's time budget in milliseconds (R2). */
  timeoutMs?: number;
  /** The steps this one waits for; by default the step declared before it (R4). */
  after?: string[];
  /**
   * When the step fails (after its last attempt), record it as `failed`, emit `step.failed` with
   * `continued: true`, and go on with the run instead of failing it (R6). A cancellation or the run's
   * deadline still ends the run.
   */
  continueOnError?: boolean;
}

/** Options of a pipeline. */
export interface PipelineOptions<C = unknown> {
  /** The default time budget of every step, in milliseconds (R2); a step's own `timeoutMs` wins. */
  timeoutMs?: number;
  /** Also compensate the completed steps when a run is cancelled, not only when it fails (R3). */
  compensateOnCancel?: boolean;
  /**
   * Turns every run's input into its context before any step, sub-runs and fan-out items included
   * (for example: validation). What it throws rejects the run before it starts.
   */
  prepare?: ContextPreparer<C>;
  /**
   * The definition's version, part of its hash (D5): a durable run only ever runs on the definition
   * (and version) it started with.
   */
  version?: string;
  /** How a durable run's context becomes JSON and back (D3); by default it must be plain JSON data. */
  codec?: ContextCodec<C>;
}

/** Options of a run. */
export interface RunOptions {
  /** Cancels the run cooperatively: checked at every step boundary and handed to handlers (K10). */
  signal?: AbortSignal;
  /** Receives this run's events and those of its sub-runs (K13). */
  observer?: Observer;
  /** The run's id; a random UUID when absent. */
  runId?: string;
  /** Bounds the whole run from its start, in milliseconds (R2). */
  deadlineMs?: number;
  /**
   * For framework integrations: turns what a handler passes to `run.subPipeline` or `run.fanOut` into
   * a pipeline when it is not one (a class registered with a DI container, a name). Sub-runs inherit it.
   */
  resolvePipeline?: PipelineResolver;
  /**
   * For framework integrations: each run of the tree (this one, its sub-runs, its fan-out items) runs
   * inside it, as one call, so that an AsyncLocalStorage store can name the run once rather than once
   * per handler call. Sub-runs inherit it.
   */
  enterRun?: EnterRun;
}

/** A factory that picks a branch's sub-pipeline on each matching run. */
export type PipelineFactory<C, S> = (ctx: C) => PipelineRef<S> | Promise<PipelineRef<S>>;

/** A branch's sub-pipeline: a fixed instance, or a factory called on each matching run (K6). */
export type PipelineSource<C, S> = PipelineRef<S> | PipelineFactory<C, S>;

/** What a conditional step does when no branch matches (K6). */
export type NoMatchBehaviour<C> = Control | 'fail' | ((ctx: C) => Error);
