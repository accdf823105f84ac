import type { SubPipelineOptions, SubPipelineSource } from '../interfaces/sub-pipeline.interface.js';
import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * Declares the sub-pipeline that a `@Step` method (with `@When` or `@Otherwise`, or alone) runs: a
 * `@Pipeline` class, `forwardRef(() => Class)` for one declared later, or an async factory
 * `(ctx, moduleRef) => Class` called on each run. `extract` builds the sub-run's input; `merge` writes
 * back after a completed or stopped sub-run. The method's body is not called. Declared sub-pipelines
 * show in `describe()` and the diagram, and static cycles are found at bootstrap.
 * @publicApi
 */
export function SubPipeline<C = never, S = never>(
  source: SubPipelineSource,
  options: SubPipelineOptions<C, S> = {},
): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({
      ...m,
      subPipeline: {
        source,
        extract: options.extract as ((ctx: never) => unknown) | undefined,
        merge: options.merge as ((ctx: never, sub: never) => void) | undefined,
      },
    }));
}
