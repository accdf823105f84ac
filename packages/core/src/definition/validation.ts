import type { ConfigurationProblem, ConfigurationProblemKind } from '../errors/configuration-error.js';
import { definitionKey, hasHandlers, type PipelineDefinition, type StepDefinition } from './definition.js';

interface DefinitionHolder {
  [definitionKey]: PipelineDefinition<unknown>;
}

/**
 * Every problem of a definition (K4): its own, and those of the static sub-pipelines it reaches, with
 * static cycles of sub-pipelines. Empty when the pipeline is runnable.
 */
export function definitionProblems(def: PipelineDefinition<unknown>): ConfigurationProblem[] {
  return [...ownProblems(def), ...subPipelineProblems(def)];
}

/** Makes a problem of step `step` of `def`, its message from its parts. */
function problem(
  kind: ConfigurationProblemKind,
  def: PipelineDefinition<unknown>,
  step: string,
  message: string,
  subject?: string,
): ConfigurationProblem {
  return { kind, pipeline: def.name, step, ...(subject !== undefined && { subject }), message };
}

/** The problems of one definition alone, without looking into its sub-pipelines. */
function ownProblems(def: PipelineDefinition<unknown>): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const names = new Set(def.steps.map((s) => s.name));
  for (const step of def.steps) problems.push(...stepProblems(def, step, names));
  const cycle = dependencyCycle(def);
  if (cycle) {
    const path = cycle.map((s) => `"${s}"`).join(' -> ');
    problems.push(
      problem(
        'dependency-cycle',
        def,
        cycle[0]!,
        `Steps ${path} of pipeline "${def.name}" wait for each other (after): break the cycle.`,
        cycle.join(' -> '),
      ),
    );
  }
  return problems;
}

function stepProblems(
  def: PipelineDefinition<unknown>,
  step: StepDefinition<unknown>,
  names: Set<string>,
): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const at = `Step "${step.name}" of pipeline "${def.name}"`;
  const add = (kind: ConfigurationProblemKind, message: string, subject?: string) =>
    problems.push(problem(kind, def, step.name, message, subject));
  const unfinalized = step.conditional !== undefined && !step.conditional.finalized;
  if (unfinalized) {
    add(
      'unfinalized-conditional',
      `${at}: conditionalStep("${step.name}") was never finalized; end its chain with .finalize().`,
    );
  } else if (step.conditional && step.conditional.branches.length === 0 && !step.conditional.otherwise) {
    add(
      'conditional-without-branches',
      `${at}: the conditional step has no branches; add one with .ifCondition(...).`,
    );
  }
  if (!hasHandlers(step) && !step.optional && !unfinalized) {
    add(
      'step-without-handlers',
      `${at} is required but has no handlers: register one with onStep/beforeStep/afterStep, or mark it optional("${step.name}").`,
    );
  }
  for (const dep of step.options.after ?? []) {
    if (!names.has(dep))
      add(
        'unknown-dependency',
        `${at} waits for unknown step "${dep}" (after); known steps: ${[...names].join(', ')}.`,
        dep,
      );
    else if (dep === step.name) add('self-dependency', `${at} waits for itself (after).`, dep);
  }
  const timeoutMs = step.options.timeoutMs;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    add(
      'invalid-timeout',
      `${at} has timeoutMs ${timeoutMs}; a time budget must be a positive number of milliseconds.`,
      String(timeoutMs),
    );
  }
  const retry = step.options.retry;
  if (retry && !(Number.isInteger(retry.attempts) && retry.attempts >= 1)) {
    add(
      'invalid-retry',
      `${at} has retry.attempts ${retry.attempts}; it must be an integer of at least 1 (every try counts).`,
      String(retry.attempts),
    );
  }
  return problems;
}

/** A cycle among the `after` dependencies, as a path of step names that starts and ends on the same step. */
function dependencyCycle(def: PipelineDefinition<unknown>): string[] | undefined {
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
 * Problems of the static sub-pipelines reachable from `root` (each reported once, as kind
 * `sub-pipeline-problem` with the sub-pipeline's own problem as `cause`), and static cycles of
 * sub-pipelines, which would never end (K4).
 */
function subPipelineProblems(root: PipelineDefinition<unknown>): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const seen = new Set<PipelineDefinition<unknown>>([root]);
  const walk = (def: PipelineDefinition<unknown>, trail: string[], rootStep: string | undefined): void => {
    for (const { step, sub } of staticEdges(def)) {
      const here = [...trail, `${def.name}.${step}`];
      const at = rootStep ?? step;
      if (sub === root) {
        problems.push(
          problem(
            'sub-pipeline-cycle',
            root,
            at,
            `Pipeline "${root.name}" runs itself again through static sub-pipelines (${here.join(' -> ')} -> ${root.name}): ` +
              `a static cycle of sub-pipelines never ends; choose the pipeline with a factory, or break the cycle.`,
            [...here, root.name].join(' -> '),
          ),
        );
        continue;
      }
      if (seen.has(sub)) continue;
      seen.add(sub);
      for (const p of ownProblems(sub)) {
        problems.push({
          ...problem(
            'sub-pipeline-problem',
            root,
            at,
            `Sub-pipeline "${sub.name}" (run by ${def.name}.${step}): ${p.message}`,
            sub.name,
          ),
          cause: p,
        });
      }
      walk(sub, here, at);
    }
  };
  walk(root, [], undefined);
  return problems;
}
