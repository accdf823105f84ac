import type { Condition, ContextPreparer, FinishHandler, Handler, SkipPredicate } from '../types/handlers.js';
import type { ContextCodec } from '../durable/context-codec.js';
import type { NoMatchBehaviour, PipelineOptions, PipelineSource, StepOptions } from '../types/options.js';
import type { BranchId } from '../types/records.js';
import type { WaitDefinition } from '../types/waits.js';

/** One branch of a conditional step, as declared. */
export interface BranchDefinition<C> {
  id: BranchId;
  /** Absent for the otherwise branch. */
  condition?: Condition<C>;
  handler?: Handler<C>;
  source?: PipelineSource<C, unknown>;
  extractor?: (ctx: C) => unknown;
  merge?: (ctx: C, sub: unknown) => void;
  /** A name for describe() and diagrams. */
  label?: string;
}

/** The branches of a conditional step. */
export interface ConditionalDefinition<C> {
  branches: BranchDefinition<C>[];
  otherwise?: BranchDefinition<C>;
  noMatch: NoMatchBehaviour<C>;
  finalized: boolean;
}

/** One step as the builder holds it: mutable until a run compiles it. */
export interface StepDefinition<C> {
  name: string;
  before: Handler<C>[];
  on: Handler<C>[];
  after: Handler<C>[];
  optional: boolean;
  skip?: { predicate: SkipPredicate<C>; label?: string };
  conditional?: ConditionalDefinition<C>;
  options: StepOptions;
  compensate?: Handler<C>;
  /** What the step waits for before its handlers run (a durable run suspends there: W1, W3). */
  wait?: WaitDefinition<C>;
}

/** The whole definition of a pipeline. */
export interface PipelineDefinition<C> {
  name: string;
  steps: StepDefinition<C>[];
  finishers: FinishHandler<C>[];
  defaultTimeoutMs?: number;
  compensateOnCancel?: boolean;
  prepare?: ContextPreparer<C>;
  version?: string;
  codec?: ContextCodec<C>;
}

/** A step "has handlers" when any of its phases has one (K5); a wait or a sleep counts as one (W1, W3). */
export function hasHandlers(step: StepDefinition<unknown>): boolean {
  return step.before.length > 0 || step.on.length > 0 || step.after.length > 0 || step.wait !== undefined;
}

/** The default reason of a skip predicate without a label, and of an optional step without handlers. */
export const SKIP_CONDITION_REASON = 'skip condition';
export const OPTIONAL_WITHOUT_HANDLERS_REASON = 'optional step without handlers';

/** @internal Where a pipeline exposes its definition to the validation of other pipelines. */
export const definitionKey = Symbol.for('orka:pipeline-definition');

/** Creates an empty step. */
export function newStep<C>(name: string): StepDefinition<C> {
  return { name, before: [], on: [], after: [], optional: false, options: {} };
}

/** The definition of a new pipeline, before its steps are added. */
export function newDefinition<C>(name: string, options: PipelineOptions<C>): PipelineDefinition<C> {
  const { timeoutMs, compensateOnCancel, prepare, version, codec } = options;
  return {
    name,
    steps: [],
    finishers: [],
    defaultTimeoutMs: timeoutMs,
    compensateOnCancel,
    prepare,
    version,
    codec,
  };
}
