import type { RunResult } from './records.js';

/**
 * A pipeline, as the types that run one see it: `Pipeline<C>` is one. What ties it to its context type
 * `C` is its `run` method, so that a sub-run's context type is inferred from the pipeline handed over.
 */
export interface PipelineRef<C> {
  /** The pipeline's name. */
  readonly name: string;
  /** Runs the pipeline over `ctx` (the options are the pipeline's own business here). */
  run(ctx: C, options?: never): Promise<RunResult<C>>;
}

/** Finds the pipeline for a source that is not a `Pipeline` itself; undefined when it knows none. */
export type PipelineResolver = (source: unknown) => PipelineRef<unknown> | undefined;
