import { Continue, Stop } from '../../definition/control.js';
import type { BranchDefinition, ConditionalDefinition } from '../../definition/definition.js';
import { NoBranchMatchedError } from '../../errors/no-branch-matched-error.js';
import { ExtractorError, PipelineProviderError } from '../../errors/sub-pipeline-errors.js';
import type { PipelineRef } from '../../types/pipeline-ref.js';
import type { StepRunImpl } from '../step/step-run.js';
import { inlineSubRun, startSubRun } from './sub-run.js';
import { dispatchMarker } from '../../definition/dispatch-marker.js';
import type { Handler, HandlerResult } from '../../types/handlers.js';
import type { StepRun } from '../../types/step-run.js';

/**
 * Makes the `on` handler of a conditional step (K6): tests the conditions in order, runs the first
 * matching branch (a handler, or a sub-pipeline with extractor and merge), else the otherwise branch,
 * else the no-match behaviour. It stays synchronous as long as the conditions are: an async function
 * here would cost every run of the step a few promise hops on the hot path.
 */
export function makeDispatch<C>(
  pipeline: string,
  step: string,
  definition: ConditionalDefinition<C>,
): Handler<C> {
  const branches = definition.branches;
  const testFrom = (
    ctx: C,
    run: StepRunImpl<C>,
    from: number,
    inline: boolean,
  ): HandlerResult | Promise<HandlerResult> => {
    for (let i = from; i < branches.length; i++) {
      const matched = branches[i]!.condition!(ctx);
      if (typeof matched === 'object' && matched !== null && typeof matched.then === 'function') {
        // Decided later: the executor has awaited a promise by then, and runs no sub-run inline.
        return matched.then((yes) =>
          yes ? runBranch(pipeline, step, branches[i]!, ctx, run, false) : testFrom(ctx, run, i + 1, false),
        );
      }
      if (matched) return runBranch(pipeline, step, branches[i]!, ctx, run, inline);
    }
    if (definition.otherwise) return runBranch(pipeline, step, definition.otherwise, ctx, run, inline);
    if (run.state.emitting) run.state.emit({ type: 'branch.none', step });
    const noMatch = definition.noMatch;
    if (noMatch === 'fail') throw new NoBranchMatchedError(pipeline, step);
    if (typeof noMatch === 'function') throw noMatch(ctx);
    return noMatch === Stop ? Stop : Continue;
  };
  // `inline`: the executor's hot loop calls, and runs the branch's sub-run in its own loop when it can.
  const dispatch = (ctx: C, run: StepRun, inline = false) => {
    const impl = run as StepRunImpl<C>;
    // A durable run that resumes takes the branch it committed into, without testing again (D2).
    const taken = impl.state.journal?.branchTaken(step);
    if (taken === undefined) return testFrom(ctx, impl, 0, inline);
    const branch = taken === 'otherwise' ? definition.otherwise : branches[taken];
    return branch ? runBranch(pipeline, step, branch, ctx, impl, false) : testFrom(ctx, impl, 0, false);
  };
  return Object.assign(dispatch, { [dispatchMarker]: definition });
}

function runBranch<C>(
  pipeline: string,
  step: string,
  branch: BranchDefinition<C>,
  ctx: C,
  run: StepRunImpl<C>,
  inline: boolean,
): HandlerResult | Promise<HandlerResult> {
  run.branch = branch.id;
  if (run.state.emitting) run.state.emit({ type: 'branch.matched', step, branch: branch.id });
  if (branch.handler) return branch.handler(ctx, run);
  const source = branch.source!;
  if (typeof source !== 'function') return runSubPipeline(pipeline, step, branch, ctx, run, source, inline);
  // The provider runs first, then the extractor, as in the reference engine.
  let provided: PipelineRef<unknown> | Promise<PipelineRef<unknown>>;
  try {
    provided = source(ctx);
  } catch (err) {
    throw new PipelineProviderError(pipeline, step, branch.id, err);
  }
  return Promise.resolve(provided).then(
    (sub) => runSubPipeline(pipeline, step, branch, ctx, run, sub, false),
    (err: unknown) => {
      throw new PipelineProviderError(pipeline, step, branch.id, err);
    },
  );
}

function runSubPipeline<C>(
  pipeline: string,
  step: string,
  branch: BranchDefinition<C>,
  ctx: C,
  run: StepRunImpl<C>,
  sub: PipelineRef<unknown>,
  inline: boolean,
): HandlerResult | Promise<HandlerResult> {
  let input: unknown = ctx;
  const extractor = branch.extractor;
  if (extractor) {
    try {
      input = extractor(ctx);
    } catch (err) {
      throw new ExtractorError(pipeline, step, branch.id, err);
    }
  }
  const label = branch.label ?? String(branch.id);
  const shared = extractor === undefined;
  // The executor awaits the sub-run's result and settles the branch with it (StepRunImpl.settleBranch).
  run.pendingBranch = branch as { merge?: (ctx: unknown, sub: unknown) => void };
  if (inline) {
    const state = inlineSubRun(run, sub, input);
    if (state !== undefined) {
      // The executor runs it in its own loop, then settles the branch with its result.
      run.inlineSub = state;
      return Continue;
    }
  }
  // A durable run commits the branch before its sub-run commits anything under it (D2).
  const journal = run.state.journal;
  const started =
    journal === undefined || journal.branchTaken(step) !== undefined
      ? startSubRun(run, sub, input, label, shared, true)
      : journal.commitBranch(step, branch.id).then(() => startSubRun(run, sub, input, label, shared, true));
  return started as unknown as Promise<HandlerResult>;
}
