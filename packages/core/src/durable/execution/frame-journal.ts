import type { CompiledPipeline } from '../../definition/compiled.js';
import { ContextNotSerializableError, RunFailedError } from '../../errors/durable-errors.js';
import type { RunJournal } from '../../execution/run-journal.js';
import { RunHalt } from '../../execution/run-halt.js';
import type { StoredError, StoredStep, StoredWait } from '../../stores/run-store.js';
import type { BranchId, StepRecord } from '../../types/records.js';
import { decodeContext, encodeContext, type ContextCodec } from '../context-codec.js';
import { storedError, type RunLedger } from './run-ledger.js';

/** Whose context a run's commits save: the root run's (frame ''), or a sub-run's own. */
interface Frame {
  key: string;
  pipeline: string;
  codec: ContextCodec<unknown> | undefined;
}

/** A step's record as a store keeps it. */
interface StoredRecord extends Omit<StepRecord, 'error' | 'compensationError'> {
  error?: StoredError;
  compensationError?: StoredError;
}

/** The entries a journal writes, by kind. */
type Entry =
  | { t: 'step'; record: StoredRecord }
  | { t: 'attempts'; failed: number }
  | { t: 'branch'; branch: BranchId }
  | { t: 'finished' }
  | { t: 'wait'; until?: number };

/**
 * The journal of one run or sub-run of a durable run (D2): replays what its steps committed before and
 * commits what they do now, each entry keyed by the step's path in the run (`charge`,
 * `determine_provisioning/premium/allocate`), never by a call counter that concurrency would reorder.
 */
export class FrameJournal implements RunJournal {
  constructor(
    private readonly ledger: RunLedger,
    /** The path of this run's steps: '' for the root run, `step/label/` for a sub-run. */
    private readonly prefix: string,
    private readonly frame: Frame,
    private readonly pipeline: string,
  ) {}

  /** The journal of a durable run's root. */
  static root(ledger: RunLedger, compiled: CompiledPipeline<unknown>): FrameJournal {
    const frame = { key: '', pipeline: compiled.name, codec: compiled.codec };
    return new FrameJournal(ledger, '', frame, compiled.name);
  }

  stepKey(step: string): string {
    return `${this.ledger.runId}:${this.prefix}${step}`;
  }

  replay(step: string): StepRecord | undefined {
    const entry = this.ledger.entry<Entry>(this.prefix + step);
    if (entry?.t !== 'step') return undefined;
    const { error, compensationError, ...record } = entry.record;
    const failed = (e: StoredError) => RunFailedError.of(this.ledger.runId, this.pipeline, e);
    return {
      ...record,
      ...(error !== undefined && { error: failed(error) }),
      ...(compensationError !== undefined && { compensationError: failed(compensationError) }),
    };
  }

  async commit(step: string, record: StepRecord, context: unknown): Promise<void> {
    const { error, compensationError, ...plain } = record;
    const stored: StoredRecord = {
      ...plain,
      ...(error !== undefined && { error: storedError(error, step, this.pipeline) }),
      ...(compensationError !== undefined && {
        compensationError: storedError(compensationError, step, this.pipeline),
      }),
    };
    let text: string | undefined;
    try {
      text = encodeContext(this.frame.pipeline, this.frame.codec, context);
    } catch (err) {
      // A failed step is committed with the context its last good commit saved; any other fails (D3).
      if (!(err instanceof ContextNotSerializableError) || record.status !== 'failed') throw err;
    }
    await this.write({ key: this.prefix + step, data: JSON.stringify({ t: 'step', record: stored }) }, text);
  }

  failedAttempts(step: string): number {
    const entry = this.ledger.entry<Entry>(`${this.prefix}${step}#attempts`);
    return entry?.t === 'attempts' ? entry.failed : 0;
  }

  commitFailedAttempt(step: string, attempt: number): Promise<void> {
    return this.write({
      key: `${this.prefix}${step}#attempts`,
      data: JSON.stringify({ t: 'attempts', failed: attempt }),
    });
  }

  branchTaken(step: string): BranchId | undefined {
    const entry = this.ledger.entry<Entry>(`${this.prefix}${step}#branch`);
    return entry?.t === 'branch' ? entry.branch : undefined;
  }

  commitBranch(step: string, branch: BranchId): Promise<void> {
    return this.write({ key: `${this.prefix}${step}#branch`, data: JSON.stringify({ t: 'branch', branch }) });
  }

  finished(): boolean {
    return this.ledger.entry<Entry>(`${this.prefix}#finished`)?.t === 'finished';
  }

  commitFinished(context: unknown): Promise<void> {
    const text = encodeContext(this.frame.pipeline, this.frame.codec, context);
    return this.write({ key: `${this.prefix}#finished`, data: JSON.stringify({ t: 'finished' }) }, text);
  }

  child(step: string, label: string, shared: boolean, pipeline: CompiledPipeline<unknown>): RunJournal {
    const prefix = `${this.prefix}${step}/${label}/`;
    const frame = shared ? this.frame : { key: prefix, pipeline: pipeline.name, codec: pipeline.codec };
    return new FrameJournal(this.ledger, prefix, frame, pipeline.name);
  }

  waitUntil(step: string): number | undefined {
    const entry = this.ledger.entry<Entry>(`${this.prefix}${step}#wait`);
    return entry?.t === 'wait' ? entry.until : undefined;
  }

  takeSignal(step: string, name: string): { payload: unknown } | undefined {
    const signal = this.ledger.takeSignal(name, this.prefix + step);
    return signal === undefined ? undefined : { payload: JSON.parse(signal.payload) as unknown };
  }

  async suspend(step: string, wait: { signal?: string; until?: number }): Promise<RunHalt> {
    const key = this.prefix + step;
    const stored: StoredWait =
      wait.signal !== undefined
        ? {
            kind: 'signal',
            signal: wait.signal,
            step: key,
            ...(wait.until !== undefined && { timeoutAt: wait.until }),
          }
        : { kind: 'sleep', step: key, until: wait.until! };
    const entry = { key: `${key}#wait`, data: JSON.stringify({ t: 'wait', until: wait.until }) };
    const result = await this.ledger.write({ steps: [entry], status: 'waiting', wait: stored });
    this.ledger.halted = new RunHalt('suspended', result.wakeNow === true, wait.until);
    return this.ledger.halted;
  }

  restore<C>(input: C): C {
    // A sub-run sharing its parent's context object runs on that object, restored with the parent.
    if (this.frame.key !== this.prefix) return input;
    const text = this.ledger.frameContext(this.frame.key);
    return text === undefined ? input : decodeContext(this.frame.codec as ContextCodec<C> | undefined, text);
  }

  /** One entry, with the context after it: on the run for the root frame, on the entry for a sub-run's. */
  private async write(entry: Omit<StoredStep, 'seq'>, context?: string): Promise<void> {
    if (context === undefined) await this.ledger.write({ steps: [entry] });
    else if (this.frame.key === '') await this.ledger.write({ steps: [entry], context });
    else await this.ledger.write({ steps: [{ ...entry, frame: this.frame.key, context }] });
  }
}
