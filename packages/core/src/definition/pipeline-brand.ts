import type { CompiledPipeline } from './compiled.js';

/**
 * Marks pipelines, also those made by another copy of this package (its ESM and CommonJS builds may
 * both be loaded in one process), where `instanceof` would not.
 */
export const pipelineBrand = Symbol.for('orka:pipeline');

/** What the executor needs of a pipeline. */
export interface Compilable<C> {
  readonly name: string;
  compile(): CompiledPipeline<C>;
}

/** Whether `value` carries the pipeline brand. */
export function isBrandedPipeline(value: unknown): value is Compilable<unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[pipelineBrand] === true
  );
}
