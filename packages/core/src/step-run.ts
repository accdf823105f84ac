import type { FanOutItemResult, FanOutOptions } from './fan-out.js';
import { runFanOut } from './fan-out.js';
import type { Pipeline } from './pipeline.js';
import { RunResources } from './resources.js';
import type { RunState } from './run-state.js';
import { startSubRun } from './sub-run.js';
import type { BranchId, RunResult, StepRun } from './types.js';

/** The {@link StepRun} a handler receives; one per step attempt. */
export class StepRunImpl<C> implements StepRun {
  /** @internal The branch a conditional step took, copied into its record. */
  branch: BranchId | undefined = undefined;
  /** @internal Set when a sub-run started here ended stopped: the step then stops the run (K6, N8). */
  subStopped = false;

  constructor(
    /** @internal */
    readonly state: RunState<C>,
    readonly step: string,
    readonly attempt: number,
    /** @internal A signal of this attempt alone (timeouts, sibling failure), when it has one. */
    private readonly ownSignal?: AbortSignal,
  ) {}

  // Read from the run's state rather than copied: one of these is made per step, on the hot path.
  get runId(): string {
    return this.state.runId;
  }

  get parentRunId(): string | undefined {
    return this.state.parentRunId;
  }

  get rootRunId(): string {
    return this.state.rootRunId;
  }

  get pipeline(): string {
    return this.state.compiled.name;
  }

  get signal(): AbortSignal {
    return this.ownSignal ?? this.state.handlerSignal();
  }

  get resources(): RunResources {
    return (this.state.resources ??= new RunResources());
  }

  /** @internal What cancels work started by this attempt: its own signal, else the run's. */
  abortSource(): AbortSignal | undefined {
    return this.ownSignal ?? this.state.signal;
  }

  subPipeline<S>(sub: Pipeline<S>, input: S): Promise<RunResult<S>>;
  subPipeline(sub: unknown, input: unknown): Promise<RunResult<unknown>>;
  subPipeline<S>(sub: unknown, input: S): Promise<RunResult<S>> {
    return startSubRun(this, sub, input).then((result) => {
      if (result.outcome === 'stopped') this.subStopped = true;
      return result;
    });
  }

  fanOut<S>(sub: Pipeline<S>, items: readonly S[], options?: FanOutOptions): Promise<FanOutItemResult<S>[]>;
  fanOut(
    sub: unknown,
    items: readonly unknown[],
    options?: FanOutOptions,
  ): Promise<FanOutItemResult<unknown>[]>;
  fanOut<S>(sub: unknown, items: readonly S[], options?: FanOutOptions): Promise<FanOutItemResult<S>[]> {
    return runFanOut(this, sub, items, options);
  }
}
