import type { ContextPreparer, FinishHandler, Handler, SkipPredicate } from '../types/handlers.js';
import type { ContextCodec } from '../durable/context-codec.js';
import type { RetryPolicy } from '../types/options.js';
import type { WaitDefinition } from '../types/waits.js';

/** One step, frozen for running: the phases flattened into one chain, names resolved to positions. */
export interface CompiledStep<C> {
  name: string;
  index: number;
  /** before, on and after handlers in that order: phases run one after another, so one loop serves. */
  chain: Handler<C>[];
  optional: boolean;
  hasHandlers: boolean;
  skip?: { predicate: SkipPredicate<C>; reason: string };
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Positions of the steps this one waits for. */
  deps: number[];
  compensate?: Handler<C>;
  /** A failure of the step is recorded and the run goes on. */
  continueOnError: boolean;
  /** No retry, no timeout and no wait: the executor's fast path runs it inline. */
  plain: boolean;
  /**
   * The last handler of the chain dispatches a conditional step's branches (K6): the fast path calls
   * it so that a branch's sub-run may run in the executor's own loop.
   */
  branchLast: boolean;
  /** What the step waits for before its handlers run (W1, W3). */
  wait?: WaitDefinition<C>;
}

/** A validated pipeline, frozen for running. Later builder calls make a new one. */
export interface CompiledPipeline<C> {
  name: string;
  steps: CompiledStep<C>[];
  positions: Map<string, number>;
  finishers: FinishHandler<C>[];
  /** Every step waits only for the one declared before it: the executor needs no scheduler. */
  sequential: boolean;
  /** For each position, the positions of the steps that wait for it. */
  dependents: number[][];
  /** Compensate the completed steps of a cancelled run too (R3). */
  compensateOnCancel: boolean;
  /** Turns a run's input into its context, when the pipeline has such a hook. */
  prepare: ContextPreparer<C> | undefined;
  /** The definition's version (D5). */
  version: string | undefined;
  /** How a durable run's context becomes JSON and back (D3). */
  codec: ContextCodec<C> | undefined;
  /** The first step that waits or sleeps, if any: such a pipeline runs only in a durable run (W5). */
  firstWait: string | undefined;
}
