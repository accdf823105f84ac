import { runFailure } from '../../errors/run-failure.js';
import { RunHalt } from '../../execution/run-halt.js';
import type {
  CommitResult,
  Lease,
  RunStore,
  RunWrite,
  StoredError,
  StoredSignal,
  StoredStep,
} from '../../stores/run-store.js';

/**
 * What the journals of one durable run share: its store and lease, the entries it had committed when
 * this process took it, and the one door every write goes through (fenced by the lease, D4).
 */
export class RunLedger {
  /** Set once a write was refused or the run was let go: every later write throws it, writing nothing. */
  halted: RunHalt | undefined;
  private readonly entries: Map<string, StoredStep>;
  /** The context each sub-run frame committed last (JSON text), by frame. */
  private readonly frames = new Map<string, string>();
  /** Signals taken by a wait in this execution, by the key of the step that consumes them (W2). */
  private readonly consuming = new Map<string, string>();

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
    public lease: Lease,
    /** The entries the run had committed when this process took it, in commit order. */
    committed: readonly StoredStep[],
    /** Called when a commit learns that someone asked for the run's cancellation (D7). */
    private readonly onCancelRequested: (reason: string) => void,
    /** The signals the run had when this process took it, in arrival order (W2). */
    private readonly signals: StoredSignal[] = [],
  ) {
    this.entries = new Map(committed.map((s) => [s.key, s]));
    for (const step of committed) {
      if (step.frame !== undefined && step.context !== undefined) this.frames.set(step.frame, step.context);
    }
  }

  /** A committed entry's data, parsed. */
  entry<T>(key: string): T | undefined {
    const found = this.entries.get(key);
    return found === undefined ? undefined : (JSON.parse(found.data) as T);
  }

  /** The context a sub-run frame committed last. */
  frameContext(frame: string): string | undefined {
    return this.frames.get(frame);
  }

  /**
   * The first signal `name` the run has that nobody consumed or took yet; it is consumed with the next
   * commit of the step `by` (W2).
   */
  takeSignal(name: string, by: string): StoredSignal | undefined {
    const taken = new Set(this.consuming.values());
    const signal = this.signals.find(
      (s) => s.name === name && s.consumedBy === undefined && !taken.has(s.id),
    );
    if (signal !== undefined) this.consuming.set(by, signal.id);
    return signal;
  }

  /**
   * Writes under the lease, with the signal a step's entry consumes; throws `RunHalt` (and writes
   * nothing more, ever) once the lease is gone.
   */
  async write(write: Omit<RunWrite, 'now'>): Promise<CommitResult> {
    if (this.halted) throw this.halted;
    const by = write.steps?.find((s) => this.consuming.has(s.key))?.key;
    const consumeSignal = by === undefined ? undefined : { id: this.consuming.get(by)!, by };
    const result = await this.store.commit(this.runId, this.lease, {
      ...write,
      ...(consumeSignal !== undefined && { consumeSignal }),
      now: Date.now(),
    });
    if (!result.ok) {
      this.halted = new RunHalt('lease-lost');
      throw this.halted;
    }
    for (const step of write.steps ?? []) {
      this.entries.set(step.key, { ...step, seq: 0 });
      if (step.frame !== undefined && step.context !== undefined) this.frames.set(step.frame, step.context);
    }
    if (consumeSignal !== undefined) {
      this.consuming.delete(consumeSignal.by);
      const signal = this.signals.find((s) => s.id === consumeSignal.id);
      if (signal !== undefined) signal.consumedBy = consumeSignal.by;
    }
    if (result.cancelRequested !== undefined) this.onCancelRequested(result.cancelRequested);
    return result;
  }
}

/** An error as a store keeps it (D6): its class name, code and message, and where it was thrown. */
export function storedError(err: unknown, step: string, pipeline: string): StoredError {
  const where = runFailure(err);
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; code?: unknown; message?: unknown; constructor?: { name?: string } };
    const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (e.constructor?.name ?? 'Error');
    return {
      name,
      ...(typeof e.code === 'string' && { code: e.code }),
      message: typeof e.message === 'string' ? e.message : `a thrown ${e.constructor?.name ?? 'object'}`,
      step: where?.step ?? step,
      pipeline: where?.pipeline ?? pipeline,
    };
  }
  return {
    name: typeof err,
    message: String(err),
    step: where?.step ?? step,
    pipeline: where?.pipeline ?? pipeline,
  };
}
