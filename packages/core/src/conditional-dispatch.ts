import { Continue, Stop } from './control.js';
import type { BranchDefinition, ConditionalDefinition } from './definition.js';
import { NoBranchMatchedError } from './errors/no-branch-matched-error.js';
import { ExtractorError, PipelineProviderError } from './errors/sub-pipeline-errors.js';
import type { Pipeline } from './pipeline.js';
import type { StepRunImpl } from './step-run.js';
import { startSubRun } from './sub-run.js';
import type { Handler, HandlerResult, StepRun } from './types.js';

/** Marks the handler that dispatches a conditional step's branches, so that exports can tell it apart. */
export const dispatchMarker = Symbol.for('orka:conditional-dispatch');

/**
 * Makes the `on` handler of a conditional step (K6): tests the conditions in order, runs the first
 * matching branch (a handler, or a sub-pipeline with extractor and merge), else the otherwise branch,
 * else the no-match behaviour.
 */
export function makeDispatch<C>(
  pipeline: string,
  step: string,
  definition: ConditionalDefinition<C>,
): Handler<C> {
  const dispatch = async (ctx: C, run: StepRun): Promise<HandlerResult> => {
    const impl = run as StepRunImpl<C>;
    for (const branch of definition.branches) {
      let matched = branch.condition!(ctx);
      if (typeof matched !== 'boolean') matched = await matched;
      if (matched) return runBranch(pipeline, step, branch, ctx, impl);
    }
    if (definition.otherwise) return runBranch(pipeline, step, definition.otherwise, ctx, impl);
    if (impl.state.emitting) impl.state.emit({ type: 'branch.none', step });
    const noMatch = definition.noMatch;
    if (noMatch === 'fail') throw new NoBranchMatchedError(pipeline, step);
    if (typeof noMatch === 'function') throw noMatch(ctx);
    return noMatch === Stop ? Stop : Continue;
  };
  return Object.assign(dispatch, { [dispatchMarker]: definition });
}

async function runBranch<C>(
  pipeline: string,
  step: string,
  branch: BranchDefinition<C>,
  ctx: C,
  run: StepRunImpl<C>,
): Promise<HandlerResult> {
  run.branch = branch.id;
  if (run.state.emitting) run.state.emit({ type: 'branch.matched', step, branch: branch.id });
  if (branch.handler) return branch.handler(ctx, run);

  // The provider runs first, then the extractor, as in the reference engine.
  let sub: Pipeline<unknown>;
  try {
    const source = branch.source!;
    sub = typeof source === 'function' ? await source(ctx) : source;
  } catch (err) {
    throw new PipelineProviderError(pipeline, step, branch.id, err);
  }
  let input: unknown = ctx;
  const shared = branch.extractor === undefined;
  if (branch.extractor) {
    try {
      input = branch.extractor(ctx);
    } catch (err) {
      throw new ExtractorError(pipeline, step, branch.id, err);
    }
  }
  const result = await startSubRun(run, sub, input, shared);
  if (result.outcome === 'stopped') run.subStopped = true;
  // Written back after a completed or stopped sub-run, never after an error (K6).
  if (branch.merge && (result.outcome === 'completed' || result.outcome === 'stopped')) {
    branch.merge(ctx, result.context);
  }
  return undefined;
}
