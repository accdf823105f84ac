import { runFailure } from '../errors/run-failure.js';
import { RunHalt } from '../execution/run-halt.js';
import type { Lease, RunStore, RunWrite, StoredError, StoredStep } from '../stores/run-store.js';

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

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
    public lease: Lease,
    /** The entries the run had committed when this process took it, in commit order. */
    committed: readonly StoredStep[],
    /** Called when a commit learns that someone asked for the run's cancellation (D7). */
    private readonly onCancelRequested: (reason: string) => void,
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

  /** Writes under the lease; throws `RunHalt` (and writes nothing more, ever) once the lease is gone. */
  async write(write: Omit<RunWrite, 'now'>): Promise<void> {
    if (this.halted) throw this.halted;
    const result = await this.store.commit(this.runId, this.lease, { ...write, now: Date.now() });
    if (!result.ok) {
      this.halted = new RunHalt('lease-lost');
      throw this.halted;
    }
    for (const step of write.steps ?? []) {
      this.entries.set(step.key, { ...step, seq: 0 });
      if (step.frame !== undefined && step.context !== undefined) this.frames.set(step.frame, step.context);
    }
    if (result.cancelRequested !== undefined) this.onCancelRequested(result.cancelRequested);
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
