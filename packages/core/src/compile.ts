import { OrkaConfigurationError, type ConfigurationProblem } from './errors/configuration-error.js';
import {
  definitionKey,
  hasHandlers,
  SKIP_CONDITION_REASON,
  type PipelineDefinition,
  type RetryPolicy,
} from './definition.js';
import type { ContextPreparer, FinishHandler, Handler, SkipPredicate } from './types.js';

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
  /** No retry and no timeout: the executor's fast path runs it inline. */
  plain: boolean;
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
}

interface DefinitionHolder {
  [definitionKey]: PipelineDefinition<unknown>;
}

/** Validates a definition (K4) and freezes it for running; throws one error listing every problem. */
export function compileDefinition<C>(def: PipelineDefinition<C>): CompiledPipeline<C> {
  const problems = [...ownProblems(def), ...subPipelineProblems(def as PipelineDefinition<unknown>)];
  if (problems.length > 0) {
    throw new OrkaConfigurationError(
      problems.map((p) => p.message),
      `Pipeline "${def.name}"`,
      problems,
    );
  }

  const positions = new Map(def.steps.map((s, i) => [s.name, i] as const));
  const steps = def.steps.map((s, index): CompiledStep<C> => {
    const deps = s.options.after
      ? s.options.after.map((n) => positions.get(n)!)
      : index > 0
        ? [index - 1]
        : [];
    const timeoutMs = s.options.timeoutMs ?? def.defaultTimeoutMs;
    return {
      name: s.name,
      index,
      chain: [...s.before, ...s.on, ...s.after],
      optional: s.optional,
      hasHandlers: hasHandlers(s as never),
      skip: s.skip
        ? { predicate: s.skip.predicate, reason: s.skip.label ?? SKIP_CONDITION_REASON }
        : undefined,
      retry: s.options.retry,
      timeoutMs,
      deps,
      compensate: s.compensate,
      continueOnError: s.options.continueOnError === true,
      plain: s.options.retry === undefined && timeoutMs === undefined,
    };
  });
  const sequential = steps.every((s, i) =>
    i === 0 ? s.deps.length === 0 : s.deps.length === 1 && s.deps[0] === i - 1,
  );
  const dependents: number[][] = steps.map(() => []);
  for (const s of steps) for (const d of s.deps) dependents[d]!.push(s.index);
  return {
    name: def.name,
    steps,
    positions,
    finishers: [...def.finishers],
    sequential,
    dependents,
    compensateOnCancel: def.compensateOnCancel ?? false,
    prepare: def.prepare,
  };
}

/** The problems of one definition alone, without looking into its sub-pipelines. */
function ownProblems<C>(def: PipelineDefinition<C>): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const names = new Set(def.steps.map((s) => s.name));
  for (const step of def.steps) {
    const at = `Step "${step.name}" of pipeline "${def.name}"`;
    const add = (message: string) => problems.push({ step: step.name, message });
    if (step.conditional && !step.conditional.finalized) {
      add(`${at}: conditionalStep("${step.name}") was never finalized; end its chain with .finalize().`);
    } else if (step.conditional && step.conditional.branches.length === 0 && !step.conditional.otherwise) {
      add(`${at}: the conditional step has no branches; add one with .ifCondition(...).`);
    }
    if (!hasHandlers(step as never) && !step.optional && !(step.conditional && !step.conditional.finalized)) {
      add(
        `${at} is required but has no handlers: register one with onStep/beforeStep/afterStep, or mark it optional("${step.name}").`,
      );
    }
    for (const dep of step.options.after ?? []) {
      if (!names.has(dep))
        add(`${at} waits for unknown step "${dep}" (after); known steps: ${[...names].join(', ')}.`);
      else if (dep === step.name) add(`${at} waits for itself (after).`);
    }
    if (step.options.timeoutMs !== undefined && !(step.options.timeoutMs > 0)) {
      add(
        `${at} has timeoutMs ${step.options.timeoutMs}; a time budget must be a positive number of milliseconds.`,
      );
    }
    const retry = step.options.retry;
    if (retry && !(Number.isInteger(retry.attempts) && retry.attempts >= 1)) {
      add(
        `${at} has retry.attempts ${retry.attempts}; it must be an integer of at least 1 (every try counts).`,
      );
    }
  }
  const cycle = dependencyCycle(def);
  if (cycle)
    problems.push({
      step: cycle[0],
      message: `Steps ${cycle.map((s) => `"${s}"`).join(' -> ')} of pipeline "${def.name}" wait for each other (after): break the cycle.`,
    });
  return problems;
}

/** A cycle among the `after` dependencies, as a path of step names that starts and ends on the same step. */
function dependencyCycle<C>(def: PipelineDefinition<C>): string[] | undefined {
  const deps = new Map<string, string[]>();
  def.steps.forEach((s, i) => {
    deps.set(s.name, s.options.after ? [...s.options.after] : i > 0 ? [def.steps[i - 1]!.name] : []);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !deps.has(name)) return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const d of deps.get(name)!) {
      if (d === name) continue;
      const found = visit(d);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of def.steps) {
    const found = visit(s.name);
    if (found) return found.reverse();
  }
  return undefined;
}

/** The static sub-pipelines a definition's branches run, with the step that runs each. */
function staticEdges(def: PipelineDefinition<unknown>): { step: string; sub: PipelineDefinition<unknown> }[] {
  const edges: { step: string; sub: PipelineDefinition<unknown> }[] = [];
  for (const step of def.steps) {
    const c = step.conditional;
    if (!c) continue;
    for (const b of c.otherwise ? [...c.branches, c.otherwise] : c.branches) {
      const holder = b.source as Partial<DefinitionHolder> | undefined;
      const sub = typeof b.source === 'object' ? holder?.[definitionKey] : undefined;
      if (sub) edges.push({ step: step.name, sub });
    }
  }
  return edges;
}

/**
 * Problems of the static sub-pipelines reachable from `root` (each reported once), and static cycles
 * of sub-pipelines, which would never end (K4).
 */
function subPipelineProblems(root: PipelineDefinition<unknown>): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const seen = new Set<PipelineDefinition<unknown>>([root]);
  const walk = (def: PipelineDefinition<unknown>, trail: string[], rootStep: string | undefined): void => {
    for (const { step, sub } of staticEdges(def)) {
      const here = [...trail, `${def.name}.${step}`];
      const at = rootStep ?? step;
      if (sub === root) {
        problems.push({
          step: at,
          message:
            `Pipeline "${root.name}" runs itself again through static sub-pipelines (${here.join(' -> ')} -> ${root.name}): ` +
            `a static cycle of sub-pipelines never ends; choose the pipeline with a factory, or break the cycle.`,
        });
        continue;
      }
      if (seen.has(sub)) continue;
      seen.add(sub);
      for (const p of ownProblems(sub)) {
        problems.push({
          step: at,
          message: `Sub-pipeline "${sub.name}" (run by ${def.name}.${step}): ${p.message}`,
        });
      }
      walk(sub, here, at);
    }
  };
  walk(root, [], undefined);
  return problems;
}
