import type {
  CancelOutcome,
  Claim,
  CommitResult,
  Lease,
  LoadedRun,
  NewRun,
  RunFilter,
  RunLease,
  RunPage,
  RunStore,
  RunWrite,
  SignalOutcome,
  StoredRun,
  StoredSignal,
  StoredStep,
} from './run-store.js';
import { isDue, isEnded, pageCursor, readCursor, wakesNow } from './store-rules.js';

interface Entry {
  run: StoredRun;
  steps: Map<string, StoredStep>;
  signals: StoredSignal[];
  seq: number;
}

/**
 * A `RunStore` in this process's memory: durable runs, waits and timers without persistence, for tests
 * and for applications that want waits but no database. Everything is lost when the process ends.
 */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, Entry>();
  private readonly byKey = new Map<string, string>();
  private signalIds = 0;

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  async create(run: NewRun): Promise<{ runId: string; created: boolean }> {
    const existing = run.idempotencyKey === undefined ? undefined : this.byKey.get(run.idempotencyKey);
    if (existing !== undefined) return { runId: existing, created: false };
    if (this.runs.has(run.runId)) return { runId: run.runId, created: false };
    const stored: StoredRun = {
      runId: run.runId,
      pipeline: run.pipeline,
      ...(run.version !== undefined && { version: run.version }),
      definitionHash: run.definitionHash,
      status: 'running',
      context: run.context,
      ...(run.parentRunId !== undefined && { parentRunId: run.parentRunId }),
      ...(run.idempotencyKey !== undefined && { idempotencyKey: run.idempotencyKey }),
      ...(run.owner !== undefined && { owner: run.owner, leaseUntil: run.now + (run.leaseMs ?? 0) }),
      fence: run.owner !== undefined ? 1 : 0,
      createdAt: run.now,
      updatedAt: run.now,
    };
    this.runs.set(run.runId, { run: stored, steps: new Map(), signals: [], seq: 0 });
    if (run.idempotencyKey !== undefined) this.byKey.set(run.idempotencyKey, run.runId);
    return { runId: run.runId, created: true };
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    const entry = this.runs.get(runId);
    return entry && copyOf(entry);
  }

  async claim(runId: string, owner: string, leaseMs: number, now: number): Promise<Claim | undefined> {
    const entry = this.runs.get(runId);
    if (!entry || isEnded(entry.run.status)) return undefined;
    const { run } = entry;
    if (run.owner !== undefined && run.owner !== owner && (run.leaseUntil ?? 0) > now) return undefined;
    const was = {
      status: run.status,
      ...(run.owner !== undefined && { owner: run.owner }),
      ...(run.wait && { wait: run.wait }),
    };
    run.owner = owner;
    run.leaseUntil = now + leaseMs;
    run.fence += 1;
    run.updatedAt = now;
    // A waiting run taken up is running again until it commits another wait.
    run.status = 'running';
    delete run.wait;
    return { lease: { owner, fence: run.fence }, loaded: copyOf(entry), was };
  }

  async renew(owner: string, leases: readonly RunLease[], leaseMs: number, now: number): Promise<string[]> {
    const kept: string[] = [];
    for (const { runId, fence } of leases) {
      const entry = this.holding(runId, { owner, fence });
      if (!entry) continue;
      entry.run.leaseUntil = now + leaseMs;
      kept.push(runId);
    }
    return kept;
  }

  async commit(runId: string, lease: Lease, write: RunWrite): Promise<CommitResult> {
    const entry = this.holding(runId, lease);
    if (!entry) return { ok: false };
    const { run } = entry;
    if (write.consumeSignal) {
      const signal = entry.signals.find((s) => s.id === write.consumeSignal!.id);
      if (!signal || signal.consumedBy !== undefined) return { ok: false };
      signal.consumedBy = write.consumeSignal.by;
    }
    for (const step of write.steps ?? []) entry.steps.set(step.key, { ...step, seq: ++entry.seq });
    if (write.context !== undefined) run.context = write.context;
    if (write.status !== undefined) run.status = write.status;
    if (write.status === 'waiting') run.wait = write.wait;
    else if (write.status !== undefined) delete run.wait;
    if (write.error !== undefined) run.error = write.error;
    run.updatedAt = write.now;
    if (write.release || write.status === 'waiting' || (write.status && isEnded(write.status))) {
      delete run.owner;
      delete run.leaseUntil;
    }
    return {
      ok: true,
      ...(run.cancelRequested !== undefined && { cancelRequested: run.cancelRequested }),
      ...(write.status === 'waiting' && wakesNow(run, entry.signals, write.now) && { wakeNow: true }),
    };
  }

  async appendSignal(
    runId: string,
    signal: { name: string; payload: string; dedupeKey?: string },
    now: number,
  ): Promise<SignalOutcome> {
    const entry = this.runs.get(runId);
    if (!entry) return 'not-found';
    if (isEnded(entry.run.status)) return 'finished';
    if (signal.dedupeKey !== undefined && entry.signals.some((s) => s.dedupeKey === signal.dedupeKey))
      return 'duplicate';
    entry.signals.push({ id: String(++this.signalIds), ...signal, at: now });
    return 'appended';
  }

  async requestCancel(runId: string, reason: string, now: number): Promise<CancelOutcome> {
    const entry = this.runs.get(runId);
    if (!entry) return 'not-found';
    if (isEnded(entry.run.status)) return 'finished';
    entry.run.cancelRequested ??= reason;
    entry.run.updatedAt = now;
    return 'requested';
  }

  async list(filter: RunFilter): Promise<RunPage> {
    const limit = filter.limit ?? 50;
    const after = readCursor(filter.cursor);
    const runs = [...this.runs.values()]
      .map((e) => e.run)
      .filter(
        (r) =>
          (filter.pipeline === undefined || r.pipeline === filter.pipeline) &&
          (filter.status === undefined || r.status === filter.status),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1))
      .filter(
        (r) =>
          after === undefined ||
          r.createdAt < after.createdAt ||
          (r.createdAt === after.createdAt && r.runId < after.runId),
      );
    const page = runs.slice(0, limit).map((r) => ({ ...r }));
    return { runs: page, ...(runs.length > limit && { cursor: pageCursor(page[page.length - 1]!) }) };
  }

  async listDue(
    now: number,
    options: { limit: number; definitionHashes?: readonly string[] },
  ): Promise<string[]> {
    const hashes = options.definitionHashes;
    const due: string[] = [];
    for (const { run, signals } of this.runs.values()) {
      if (due.length >= options.limit) break;
      if (hashes !== undefined && !hashes.includes(run.definitionHash)) continue;
      if (isDue(run, signals, now)) due.push(run.runId);
    }
    return due;
  }

  async prune(before: number): Promise<number> {
    let pruned = 0;
    for (const [runId, { run }] of this.runs) {
      if (!isEnded(run.status) || run.updatedAt >= before) continue;
      this.runs.delete(runId);
      if (run.idempotencyKey !== undefined) this.byKey.delete(run.idempotencyKey);
      pruned++;
    }
    return pruned;
  }

  /** The run, when `lease` still holds it and it has not ended. */
  private holding(runId: string, lease: Lease): Entry | undefined {
    const entry = this.runs.get(runId);
    if (!entry || isEnded(entry.run.status)) return undefined;
    return entry.run.owner === lease.owner && entry.run.fence === lease.fence ? entry : undefined;
  }
}

function copyOf(entry: Entry): LoadedRun {
  return {
    run: { ...entry.run, ...(entry.run.wait && { wait: { ...entry.run.wait } }) },
    steps: [...entry.steps.values()].sort((a, b) => a.seq - b.seq).map((s) => ({ ...s })),
    signals: entry.signals.map((s) => ({ ...s })),
  };
}
