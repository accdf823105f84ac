import type { CompiledPipeline } from '../definition/compiled.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { waitsNeedDurable } from '../errors/waits-need-durable.js';
import { StepNotFoundError } from '../errors/step-not-found-error.js';
import type { ContextOrigin } from '../types/handlers.js';
import type { RunOptions } from '../types/options.js';
import type { RunResult } from '../types/records.js';
import { runFanOut } from './composition/fan-out.js';
import { startSubRun } from './composition/sub-run.js';
import { RunDeadline } from './policies/deadline.js';
import { withContext } from './prepare-context.js';
import { executeEntered } from './run-loop.js';
import { RunState, type Composition } from './run-state.js';

/** How runs start runs of their own: every run of a tree shares it, so the executor needs no import of it. */
export const composition: Composition = { subRun: startSubRun, fanOut: runFanOut };
const noObservers: readonly never[] = [];
const topLevel = (): ContextOrigin => ({ sharedWithParent: false });

/** Starts a full top-level run: every step, then compensations, finishers and resources. */
export function startRun<C>(
  compiled: CompiledPipeline<C>,
  input: C,
  options: RunOptions | undefined,
): Promise<RunResult<C>> {
  return start(compiled, input, options, { from: 0, to: compiled.steps.length, full: true });
}

/**
 * Starts a partial run (K12): the steps from `from` to `until` (inclusive; the first and the last when
 * absent), with no finishers, no resource release and no run events. Throws `StepNotFoundError` for an
 * unknown step.
 */
export function startRange<C>(
  compiled: CompiledPipeline<C>,
  from: string | undefined,
  until: string | undefined,
  input: C,
  options: RunOptions | undefined,
): Promise<RunResult<C>> {
  const first = from === undefined ? 0 : position(compiled, from);
  const end = until === undefined ? compiled.steps.length : position(compiled, until) + 1;
  return start(compiled, input, options, { from: first, to: Math.max(first, end), full: false });
}

function position<C>(compiled: CompiledPipeline<C>, step: string): number {
  const i = compiled.positions.get(step);
  if (i === undefined)
    throw new StepNotFoundError(
      compiled.name,
      step,
      compiled.steps.map((s) => s.name),
    );
  return i;
}

/** Which steps a run executes (`to` exclusive), and whether it is a full run (finishers, resources, run events). */
interface Range {
  from: number;
  to: number;
  full: boolean;
}

function start<C>(
  compiled: CompiledPipeline<C>,
  input: C,
  options: RunOptions | undefined,
  range: Range,
): Promise<RunResult<C>> {
  const deadlineMs = options?.deadlineMs;
  if (deadlineMs !== undefined && !(deadlineMs > 0)) {
    return Promise.reject(
      new InvalidArgumentError(
        compiled.name,
        'deadlineMs',
        `deadlineMs of a run of pipeline "${compiled.name}" must be a positive number, got ${deadlineMs}.`,
      ),
    );
  }
  if (compiled.firstWait !== undefined)
    return Promise.reject(waitsNeedDurable(compiled.name, compiled.firstWait));
  return withContext(compiled, input, topLevel, (ctx: C) => launch(compiled, ctx, options, range));
}

function launch<C>(
  compiled: CompiledPipeline<C>,
  ctx: C,
  options: RunOptions | undefined,
  { from, to, full }: Range,
): Promise<RunResult<C>> {
  const runId = options?.runId;
  const observers = options?.observer ? [options.observer] : noObservers;
  const deadlineMs = options?.deadlineMs;
  if (deadlineMs === undefined) {
    const state = new RunState(compiled, ctx, runId, undefined, options?.signal, observers, composition);
    if (options?.resolvePipeline !== undefined) state.resolvePipeline = options.resolvePipeline;
    if (options?.enterRun !== undefined) state.enterRun = options.enterRun;
    return executeEntered(state, from, to, full);
  }
  // The callback runs at the deadline, long after `state` exists.
  const deadline = new RunDeadline(
    compiled.name,
    deadlineMs,
    options?.signal,
    () => state.running?.[0] ?? compiled.steps[state.position]?.name,
  );
  const state: RunState<C> = new RunState(
    compiled,
    ctx,
    runId,
    undefined,
    deadline.signal,
    observers,
    composition,
  );
  state.deadline = deadline;
  state.resolvePipeline = options?.resolvePipeline;
  if (options?.enterRun !== undefined) state.enterRun = options.enterRun;
  return executeEntered(state, from, to, full).finally(() => deadline.dispose());
}
