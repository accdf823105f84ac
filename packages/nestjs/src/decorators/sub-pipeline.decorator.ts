import type { SubPipelineOptions, SubPipelineSource } from '../interfaces/sub-pipeline.interface.js';
import type { PipelineContextOf } from '../interfaces/typing.js';
import { addHandlerMetadata } from './handler-metadata.util.js';

/**
 * The sub-run's context type: the source class's, or, when the source does not tell (a `forwardRef`,
 * a factory typed loosely), whatever `extract` and `merge` say.
 */
type SubContextOf<P, S> = unknown extends PipelineContextOf<P> ? S : PipelineContextOf<P>;

/**
 * Declares the sub-pipeline that a `@Step` method (with `@When` or `@Otherwise`, or alone) runs: a
 * `@Pipeline` class, `forwardRef(() => Class)` for one declared later, or an async factory
 * `(ctx, moduleRef) => Class` called on each run. `extract` builds the sub-run's input; `merge` writes
 * back after a completed or stopped sub-run. The method's body is not called. Declared sub-pipelines
 * show in `describe()` and the diagram, and static cycles are found at bootstrap. With a class as the
 * source, what `extract` returns and what `merge` receives are checked against its context type.
 * @publicApi
 */
export function SubPipeline<P extends object, C = never, S = never>(
  source: SubPipelineSource<P, C>,
  options: SubPipelineOptions<C, SubContextOf<P, S>> = {},
): MethodDecorator {
  return (_target, _key, descriptor) =>
    addHandlerMetadata(descriptor, (m) => ({
      ...m,
      subPipeline: {
        source: source as SubPipelineSource,
        extract: options.extract as ((ctx: never) => unknown) | undefined,
        merge: options.merge as ((ctx: never, sub: never) => void) | undefined,
      },
    }));
}
