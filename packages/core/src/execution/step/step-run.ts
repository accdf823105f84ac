import type { FanOutItemResult, FanOutOptions } from '../../types/fan-out.js';
import type { BranchId, RunResult } from '../../types/records.js';
import type { StepRun } from '../../types/step-run.js';
import { RunResources } from '../policies/resources.js';
import type { RunState, SubRunOrigin } from '../run-state.js';

/** The {@link StepRun} a handler receives; one per step attempt. */
export class StepRunImpl<C> implements StepRun, SubRunOrigin {
  // Declared, not initialised: absent on the many steps that never set them (one of these per step).
  /** @internal The branch a conditional step took, copied into its record. */
  declare branch: BranchId | undefined;
  /** @internal Set when a sub-run started here ended stopped: the step then stops the run (K6, N8). */
  declare subStopped: boolean | undefined;
  /**
   * @internal The branch whose sub-run the step's dispatch returned (K6): the executor awaits the
   * sub-run's result itself and hands it to {@link settleBranch}, rather than the dispatch chaining a
   * promise of its own onto it (one promise, closure and microtask fewer per run, and less held while
   * the sub-run is parked).
   */
  declare pendingBranch: { merge?: (ctx: C, sub: unknown) => void } | undefined;
  /**
   * @internal The branch's sub-run that the dispatch handed to the executor's hot loop to run inline
   * (K6), with `pendingBranch` to settle the step once it ends.
   */
  declare inlineSub: RunState<unknown> | undefined;
  /** A signal of this attempt alone (timeouts, sibling failure), when it has one. */
  declare private readonly ownSignal: AbortSignal | undefined;
  declare private subRuns: number | undefined;
  declare private fanOuts: number | undefined;

  constructor(
    /** @internal */
    readonly state: RunState<C>,
    readonly step: string,
    readonly attempt: number,
    ownSignal?: AbortSignal,
  ) {
    if (ownSignal !== undefined) this.ownSignal = ownSignal;
  }

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

  /**
   * The step's idempotency key, `<rootRunId>:<path>`: the same across its attempts and the resumes of a
   * durable run, different for every other step, branch, sub-run, fan-out item and run (D2).
   */
  get stepKey(): string {
    const journal = this.state.journal;
    return journal === undefined ? `${this.state.runId}:${this.step}` : journal.stepKey(this.step);
  }

  get signal(): AbortSignal {
    return this.ownSignal ?? this.state.handlerSignal();
  }

  get resources(): RunResources {
    return (this.state.resources ??= new RunResources());
  }

  /** @internal The run this step belongs to, as the parent of the sub-runs it starts. */
  parentRun(): RunState<unknown> {
    return this.state as unknown as RunState<unknown>;
  }

  /** @internal What cancels work started by this attempt: its own signal, else the run's. */
  abortSource(): AbortSignal | undefined {
    return this.ownSignal ?? this.state.signal;
  }

  /**
   * @internal What the branch's sub-run ended with settles the step (K6): a stop stops it, and the merge
   * writes back after completed or stopped, never after an error. Continue, for the handler chain.
   */
  settleBranch(result: { outcome: string; context: unknown }): undefined {
    const branch = this.pendingBranch!;
    this.pendingBranch = undefined;
    if (result.outcome === 'stopped') this.subStopped = true;
    if (branch.merge && (result.outcome === 'completed' || result.outcome === 'stopped'))
      branch.merge(this.state.context, result.context);
    return undefined;
  }

  // One generic signature serves both overloads of the StepRun interface.
  subPipeline<S>(sub: unknown, input: S): Promise<RunResult<S>> {
    const n = (this.subRuns = (this.subRuns ?? 0) + 1);
    return this.state.composition
      .subRun(this, sub, input, (name) => `${name}#${n}`)
      .then((result) => {
        if (result.outcome === 'stopped') this.subStopped = true;
        return result as RunResult<S>;
      });
  }

  fanOut<S>(sub: unknown, items: readonly S[], options?: FanOutOptions): Promise<FanOutItemResult<S>[]> {
    return this.state.composition.fanOut(
      this,
      sub,
      items,
      options,
      (this.fanOuts = (this.fanOuts ?? 0) + 1),
    ) as Promise<FanOutItemResult<S>[]>;
  }
}
