import type { RunResources } from '../execution/policies/resources.js';
import type { FanOutItemResult, FanOutOptions } from './fan-out.js';
import type { PipelineRef } from './pipeline-ref.js';
import type { RunResult } from './records.js';

/** The per-step view of the run that every handler receives as its second argument. */
export interface StepRun {
  /** The id of the run. */
  readonly runId: string;
  /** The id of the run that started this run as a sub-run, if any. */
  readonly parentRunId?: string;
  /** The id of the outermost run. Equal to `runId` for a top-level run. */
  readonly rootRunId: string;
  /** The pipeline's name. */
  readonly pipeline: string;
  /** The step's name. */
  readonly step: string;
  /**
   * The key to pass to the services the step calls so that a step run twice has its effect once: the
   * same across the step's attempts and a durable run's resumes, different for every other step, branch,
   * sub-run, fan-out item and run (D2). For example `<runId>:determine_provisioning/premium/allocate`.
   */
  readonly stepKey: string;
  /** The attempt number, 1-based (R1). */
  readonly attempt: number;
  /** Aborts when the run is cancelled (or the step times out); pass it to I/O. */
  readonly signal: AbortSignal;
  /** Resources released in reverse order when the run ends (K9). */
  readonly resources: RunResources;
  /**
   * Runs another pipeline as a sub-run of this one, with `input` as its context (K7, N8). A sub-run
   * that ends `stopped` stops this run once the handler settles.
   */
  subPipeline<S>(sub: PipelineRef<S>, input: S): Promise<RunResult<S>>;
  /** A sub-run of a pipeline that the run's `resolvePipeline` option knows (framework integrations). */
  subPipeline(sub: unknown, input: unknown): Promise<RunResult<unknown>>;
  /** Runs `sub` once per item, at most `concurrency` at once; results in input order (K14). */
  fanOut<S>(
    sub: PipelineRef<S>,
    items: readonly S[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<S>[]>;
  /** A fan-out over a pipeline that the run's `resolvePipeline` option knows (framework integrations). */
  fanOut(
    sub: unknown,
    items: readonly unknown[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<unknown>[]>;
}
