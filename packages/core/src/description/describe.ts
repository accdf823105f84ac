import { dispatchMarker } from '../definition/dispatch-marker.js';
import { definitionKey, type BranchDefinition, type PipelineDefinition } from '../definition/definition.js';
import { type RetryPolicy } from '../types/options.js';
import { Continue, Stop } from '../definition/control.js';
import type { BranchId } from '../types/records.js';
import type { WaitDefinition } from '../types/waits.js';

/** One branch of a conditional step, as exported (R5). */
export interface BranchDescription {
  /** The 0-based index of the condition, or `'otherwise'`. */
  branch: BranchId;
  /** What the branch runs. */
  kind: 'handler' | 'subPipeline' | 'factory';
  /** The branch's label, when it was given one. */
  label?: string;
  /** The sub-pipeline's name, for a static sub-pipeline. */
  pipeline?: string;
  /** Whether the branch builds its sub-context with an extractor. */
  extractor?: boolean;
  /** Whether the branch merges the sub-context back. */
  merge?: boolean;
}

/** One step, as exported (R5). */
export interface StepDescription {
  name: string;
  /** Its effective dependencies: the step declared before it unless `after` says otherwise. */
  after: string[];
  /** How many handlers each phase has (the branch dispatch of a conditional step not counted). */
  phases: { before: number; on: number; after: number };
  conditional: boolean;
  branches: BranchDescription[];
  /** What happens when no branch matches (conditional steps). */
  onNoMatch?: 'continue' | 'stop' | 'fail';
  /** Names of the static sub-pipelines its branches run. */
  subPipelines: string[];
  optional: boolean;
  /** The label of its skip condition, if it has one. */
  skipIf?: string;
  /** The retry policy; `retryOn` shows as `true` and `nonRetryable` as class names. */
  retry?: Omit<RetryPolicy, 'retryOn' | 'nonRetryable'> & { retryOn?: true; nonRetryable?: string[] };
  timeoutMs?: number;
  /** Present when a failure of the step lets the run go on. */
  continueOnError?: true;
  compensated: boolean;
  /** What the step waits for before its handlers (W1, W3). */
  wait?: { signal: string; timeoutMs?: number; onTimeout?: 'fail' | 'continue' } | { sleep: true };
}

/** A pipeline's definition as a JSON-serialisable plain object (R5). */
export interface PipelineDescription {
  name: string;
  /** The definition's version, when it has one (D5). */
  version?: string;
  steps: StepDescription[];
  finishers: number;
}

/** Describes a definition as plain data. */
export function describePipeline<C>(def: PipelineDefinition<C>): PipelineDescription {
  return {
    name: def.name,
    ...(def.version !== undefined && { version: def.version }),
    steps: def.steps.map((s, i): StepDescription => {
      const c = s.conditional;
      const branches = c ? (c.otherwise ? [...c.branches, c.otherwise] : c.branches).map(describeBranch) : [];
      const retry = s.options.retry;
      const timeoutMs = s.options.timeoutMs ?? def.defaultTimeoutMs;
      return {
        name: s.name,
        after: s.options.after ? [...s.options.after] : i > 0 ? [def.steps[i - 1]!.name] : [],
        phases: {
          before: s.before.length,
          on: s.on.filter((h) => !(dispatchMarker in h)).length,
          after: s.after.length,
        },
        conditional: c !== undefined,
        branches,
        ...(c && { onNoMatch: c.noMatch === Continue ? 'continue' : c.noMatch === Stop ? 'stop' : 'fail' }),
        subPipelines: branches.flatMap((b) => (b.pipeline ? [b.pipeline] : [])),
        optional: s.optional,
        ...(s.skip && { skipIf: s.skip.label ?? 'skip condition' }),
        ...(retry && { retry: plainRetry(retry) }),
        ...(timeoutMs !== undefined && { timeoutMs }),
        ...(s.options.continueOnError === true && { continueOnError: true as const }),
        compensated: s.compensate !== undefined,
        ...(s.wait !== undefined && { wait: describeWait(s.wait) }),
      };
    }),
    finishers: def.finishers.length,
  };
}

function describeWait<C>(wait: WaitDefinition<C>): NonNullable<StepDescription['wait']> {
  if (wait.kind === 'sleep') return { sleep: true };
  return {
    signal: wait.signal,
    ...(wait.timeoutMs !== undefined && { timeoutMs: wait.timeoutMs }),
    ...(wait.onTimeout !== undefined && { onTimeout: wait.onTimeout }),
  };
}

function describeBranch<C>(b: BranchDefinition<C>): BranchDescription {
  if (b.handler) return { branch: b.id, kind: 'handler', ...(b.label !== undefined && { label: b.label }) };
  const source = b.source as unknown;
  const staticDef =
    typeof source === 'object' && source !== null
      ? (source as { [definitionKey]?: PipelineDefinition<unknown> })[definitionKey]
      : undefined;
  return {
    branch: b.id,
    kind: staticDef ? 'subPipeline' : 'factory',
    ...(b.label !== undefined && { label: b.label }),
    ...(staticDef && { pipeline: staticDef.name }),
    extractor: b.extractor !== undefined,
    merge: b.merge !== undefined,
  };
}

function plainRetry(retry: RetryPolicy): StepDescription['retry'] {
  const { retryOn, nonRetryable, ...rest } = retry;
  return {
    ...rest,
    ...(retryOn && { retryOn: true as const }),
    ...(nonRetryable && { nonRetryable: nonRetryable.map((c) => c.name) }),
  };
}
