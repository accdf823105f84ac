import { OrkaConfigurationError } from '../errors/configuration-error.js';
import type { CompiledPipeline, CompiledStep } from './compiled.js';
import { dispatchMarker } from './dispatch-marker.js';
import { hasHandlers, SKIP_CONDITION_REASON, type PipelineDefinition } from './definition.js';
import { definitionProblems } from './validation.js';

/** Validates a definition (K4) and freezes it for running; throws one error listing every problem. */
export function compileDefinition<C>(def: PipelineDefinition<C>): CompiledPipeline<C> {
  const problems = definitionProblems(def as PipelineDefinition<unknown>);
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
    const chain = [...s.before, ...s.on, ...s.after];
    return {
      name: s.name,
      index,
      chain,
      branchLast: chain.length > 0 && dispatchMarker in chain[chain.length - 1]!,
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
      plain: s.options.retry === undefined && timeoutMs === undefined && s.wait === undefined,
      ...(s.wait !== undefined && { wait: s.wait }),
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
    version: def.version,
    codec: def.codec,
    firstWait: steps.find((s) => s.wait !== undefined)?.name,
  };
}
