import type { CompiledPipeline } from '../definition/compiled.js';
import type { ContextOrigin } from '../types/handlers.js';

/**
 * Hands `launch` the run's context: the input itself, or what the pipeline's `prepare` hook makes of
 * it. A `prepare` that throws, synchronously or not, rejects the run before it starts. `origin` is
 * asked for only when there is a hook: it names the parent run, whose id is otherwise never made.
 */
export function withContext<C, R>(
  compiled: CompiledPipeline<C>,
  input: unknown,
  origin: () => ContextOrigin,
  launch: (ctx: C) => Promise<R>,
): Promise<R> {
  const prepare = compiled.prepare;
  if (prepare === undefined) return launch(input as C);
  return new Promise<C>((resolve) => resolve(prepare(input, origin()))).then(launch);
}
