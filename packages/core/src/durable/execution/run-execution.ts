import { recordFailure, runFailure } from '../../errors/run-failure.js';
import { composition } from '../../execution/launch.js';
import { RunHalt } from '../../execution/run-halt.js';
import { executeEntered } from '../../execution/run-loop.js';
import { RunState } from '../../execution/run-state.js';
import type { Pipeline } from '../../pipeline.js';
import type { Lease, RunStore, StoredSignal, StoredStep } from '../../stores/run-store.js';
import type { EnterRun } from '../../types/active-run.js';
import type { Observer } from '../../types/events.js';
import type { PipelineResolver } from '../../types/pipeline-ref.js';
import type { RunResult } from '../../types/records.js';
import { decodeContext, encodeContext } from '../context-codec.js';
import { FrameJournal } from './frame-journal.js';
import { RunLedger, storedError } from './run-ledger.js';

/** How a run came to execute here: just started (its context in hand), or taken up (its context committed). */
export type ExecutionStart = { kind: 'started'; context: unknown } | { kind: 'taken'; context: string };

/** The run an execution is for: its id, the lease on it, what it committed before. */
export interface ClaimedRun {
  runId: string;
  lease: Lease;
  steps: readonly StoredStep[];
  /** The signals it had when it was claimed (W2). */
  signals: StoredSignal[];
  cancelRequested?: string;
}

/** What executing a run needs from its runner. */
export interface ExecutionHost {
  store: RunStore;
  owner: string;
  leaseMs: number;
  observers: readonly Observer[];
  resolvePipeline: PipelineResolver | undefined;
  enterRun: EnterRun | undefined;
}

/** How a run's execution here ended: with the run (its result or its error), or with the run going on elsewhere or later. */
export type ExecutionEnd =
  | { kind: 'ended'; result: RunResult<unknown> }
  | { kind: 'failed'; error: unknown }
  | { kind: 'halted'; reason: RunHalt['reason']; wakeNow: boolean; wakeAt?: number };

/**
 * One durable run executing in this process, under its lease: the kernel's executor over the run's
 * journal, the lease renewed while it runs, the end committed (D1-D7).
 */
export class RunExecution {
  readonly controller = new AbortController();
  readonly ledger: RunLedger;

  constructor(
    private readonly host: ExecutionHost,
    private readonly pipeline: Pipeline<unknown>,
    private readonly claimed: ClaimedRun,
  ) {
    this.ledger = new RunLedger(
      host.store,
      claimed.runId,
      claimed.lease,
      claimed.steps,
      (reason) => this.cancel(reason),
      claimed.signals,
    );
    if (claimed.cancelRequested !== undefined) this.cancel(claimed.cancelRequested);
  }

  get runId(): string {
    return this.claimed.runId;
  }

  /** Ends the run cancelled at its next step boundary, and at once through `run.signal` (D7). */
  cancel(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException(reason, 'AbortError'));
  }

  /** Stops the run here at its next commit, leaving it to whoever claims it next. */
  release(): void {
    this.ledger.halted ??= new RunHalt('released');
    this.controller.abort(this.ledger.halted);
  }

  async execute(start: ExecutionStart, observer: Observer | undefined): Promise<ExecutionEnd> {
    const compiled = this.pipeline.compile();
    const ctx = start.kind === 'started' ? start.context : decodeContext(compiled.codec, start.context);
    const observers = observer ? [observer, ...this.host.observers] : this.host.observers;
    const state = new RunState(
      compiled,
      ctx,
      this.runId,
      undefined,
      this.controller.signal,
      observers,
      composition,
    );
    state.journal = FrameJournal.root(this.ledger, compiled);
    state.resolvePipeline = this.host.resolvePipeline;
    state.resumed = start.kind === 'taken';
    if (this.host.enterRun !== undefined) state.enterRun = this.host.enterRun;
    try {
      const result = await executeEntered(state, 0, compiled.steps.length, true);
      const context = encodeContext(compiled.name, compiled.codec, ctx);
      await this.ledger.write({ status: result.outcome, context });
      return { kind: 'ended', result };
    } catch (err) {
      if (err instanceof RunHalt) return this.halt(err);
      return this.fail(err, compiled.name, () => encodeContext(compiled.name, compiled.codec, ctx));
    }
  }

  /**
   * The run stops here. Let go by this process (a shutdown), its lease is given up at once, so that
   * another process takes it up now rather than when the lease runs out; a lost lease is not ours to
   * give up.
   */
  private async halt(halt: RunHalt): Promise<ExecutionEnd> {
    if (halt.reason === 'released') {
      await this.host.store
        .commit(this.runId, this.ledger.lease, { release: true, now: Date.now() })
        .catch(() => undefined);
    }
    return {
      kind: 'halted',
      reason: halt.reason,
      wakeNow: halt.wakeNow,
      ...(halt.wakeAt !== undefined && { wakeAt: halt.wakeAt }),
    };
  }

  /** Commits a failed run with its error (D6); the caller here still gets the very error object. */
  private async fail(err: unknown, pipeline: string, context: () => string): Promise<ExecutionEnd> {
    const where = runFailure(err) ?? { step: 'run', pipeline };
    let text: string | undefined;
    try {
      text = context();
    } catch {
      // The context of a run that failed because of it stays as its last good commit saved it.
    }
    try {
      await this.ledger.write({
        status: 'failed',
        error: storedError(err, where.step, pipeline),
        ...(text !== undefined && { context: text }),
      });
    } catch (halt) {
      if (halt instanceof RunHalt) return this.halt(halt);
      throw halt;
    }
    if (runFailure(err) === undefined) {
      recordFailure(err, {
        pipeline,
        step: where.step,
        runId: this.runId,
        parentRunId: undefined,
        rootRunId: this.runId,
        steps: [],
      });
    }
    return { kind: 'failed', error: err };
  }

  /** The lease passed to another owner (a renewal found it gone): stop at once, commit nothing more (D4). */
  leaseLost(): void {
    if (this.ledger.halted) return;
    this.ledger.halted = new RunHalt('lease-lost');
    this.controller.abort(this.ledger.halted);
  }
}
