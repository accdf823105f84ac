import { randomUUID } from 'node:crypto';
import { RunFinishedError, RunNotFoundError } from '../errors/durable-errors.js';
import type { Pipeline } from '../pipeline.js';
import type { RunFilter, RunStore } from '../stores/run-store.js';
import type { OrkaEvent } from '../types/events.js';
import type { PipelineRef } from '../types/pipeline-ref.js';
import type { RunResult } from '../types/records.js';
import { encodeContext } from './context-codec.js';
import { definitionHashes } from './definition-hash.js';
import { Limiter } from './limiter.js';
import type { DurableRunnerOptions, DurableStartOptions } from './durable-options.js';
import { LocalRuns } from './execution/local-runs.js';
import { runnerNotOpen, unknownPipeline } from './runner-problems.js';
import { snapshotOf, type RunSnapshot, type RunSnapshotPage } from './run-snapshot.js';
import { awaitResult, type ResultSource } from './await-result.js';
import { TransportLink } from './transport/transport-link.js';

/**
 * Runs durable pipelines over a run store (D1-D9): each run's steps commit one by one, and any process
 * with the same definitions takes an unfinished run up after a crash, a deploy or a restart.
 *
 * ```ts
 * const durable = new DurableRunner({ store: new SqliteRunStore({ path: '.orka/runs.db' }), pipelines: [checkout] });
 * await durable.open();
 * const { runId } = await durable.start(checkout, ctx, { idempotencyKey: 'order-42' });
 * const result = await durable.result(runId);
 * ```
 */
export class DurableRunner {
  /** This process's name in leases. */
  readonly owner: string;
  private readonly store: RunStore;
  private readonly byName = new Map<string, Pipeline<unknown>>();
  private readonly hashes: Map<string, string>;
  private readonly local: LocalRuns;
  private readonly pollMs: number;
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling: Promise<void> | undefined;
  private state: 'new' | 'open' | 'closed' = 'new';
  private readonly results: ResultSource;
  /** The transport's side of this runner, when runs go through a queue (S1). */
  private readonly link: TransportLink | undefined;

  constructor(options: DurableRunnerOptions) {
    this.store = options.store;
    this.owner = options.owner ?? `orka-${randomUUID()}`;
    this.pollMs = options.pollMs ?? 1_000;
    for (const p of options.pipelines) this.byName.set(p.name, p as Pipeline<unknown>);
    this.hashes = definitionHashes(this.byName);
    const publish = (event: OrkaEvent) => this.link?.publish(event);
    this.local = new LocalRuns({
      store: this.store,
      owner: this.owner,
      leaseMs: options.leaseMs ?? 30_000,
      pollMs: this.pollMs,
      observers: [...(options.observer ? [options.observer] : []), ...(options.transport ? [publish] : [])],
      resolvePipeline: options.resolvePipeline,
      enterRun: options.enterRun,
      pipelineOf: (name, hash) => (this.hashes.get(name) === hash ? this.byName.get(name) : undefined),
      stoppedHere: (runId, how) => this.link?.stopped(runId, how),
    });
    const isOpen = () => this.state === 'open';
    this.link =
      options.transport &&
      new TransportLink(
        options.transport,
        options.role ?? 'both',
        this.store,
        this.local,
        isOpen,
        (name, hash) => this.hashes.get(name) === hash,
      );
    this.results = {
      local: this.local,
      store: this.store,
      reads: new Limiter(4),
      pollMs: this.pollMs,
      mayTakeUp: () => isOpen() && (this.link?.executes ?? true),
      compiled: (name) => this.byName.get(name)?.compile(),
    };
  }

  /** The hash of each pipeline's definition (D5), by name. */
  definitionHash(pipeline: string): string | undefined {
    return this.hashes.get(pipeline);
  }

  /** Opens the store, then takes up what was left unfinished, and looks again every `pollMs` (D4). */
  async open(): Promise<void> {
    if (this.state !== 'new') return;
    await this.store.open();
    this.state = 'open';
    await this.link?.open();
    await this.poll();
    // A poll that fails (the database is away) is tried again at the next tick, not thrown at nobody.
    this.poller = setInterval(() => void this.poll().catch(() => undefined), this.pollMs);
    this.poller.unref?.();
  }

  /**
   * Stops taking runs up, lets the runs executing here reach their end or their next wait (or, after
   * `releaseAfterMs`, stops them at their next commit and leaves them to other processes), then closes
   * the store. Waiting runs stay waiting.
   */
  async close(options: { releaseAfterMs?: number } = {}): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearInterval(this.poller);
    // A poll in flight may be claiming runs: let it finish before the store goes.
    await this.polling?.catch(() => undefined);
    // The queue stops delivering at once; the runs in hand drain (let go after the grace, and delivered
    // to other workers then: S5), which lets the transport's deliveries in hand end too.
    const transportClosed = this.link?.close();
    await this.local.drain(options.releaseAfterMs);
    await transportClosed;
    await this.store.close();
  }

  /**
   * Starts a run of `pipeline` with `input` as its context (prepared by the pipeline's `prepare` hook,
   * when it has one), and resolves once the run is committed (D1); it executes in this process. With
   * an `idempotencyKey` already used, starts nothing and resolves to that run's id.
   */
  async start<C>(
    pipeline: PipelineRef<C>,
    input: C,
    options: DurableStartOptions = {},
  ): Promise<{ runId: string; created: boolean }> {
    this.assertOpen('start');
    const known = this.byName.get(pipeline.name);
    if (known === undefined) throw unknownPipeline(pipeline.name, [...this.byName.keys()]);
    const compiled = known.compile();
    const ctx = compiled.prepare ? await compiled.prepare(input, { sharedWithParent: false }) : input;
    const context = encodeContext(compiled.name, compiled.codec, ctx);
    const runId = options.runId ?? randomUUID();
    const created = await this.store.create({
      runId,
      pipeline: compiled.name,
      ...(compiled.version !== undefined && { version: compiled.version }),
      definitionHash: this.hashes.get(compiled.name)!,
      context,
      ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
      // Through a transport the run is a job that some worker claims (S1); else it runs here, now.
      ...(this.link === undefined && { owner: this.owner, leaseMs: this.local.leaseMs }),
      now: Date.now(),
    });
    if (!created.created) return created;
    if (this.link === undefined) this.local.startHere(known, runId, ctx, options.observer);
    else {
      if (options.observer) this.local.follow(runId, options.observer);
      await this.link.deliver(runId, 'start');
    }
    return created;
  }

  /** `start()` then `result()`. */
  async run<C>(pipeline: PipelineRef<C>, input: C, options: DurableStartOptions = {}): Promise<RunResult<C>> {
    const { runId } = await this.start(pipeline, input, options);
    return this.result<C>(runId);
  }

  /**
   * The result of a run once it has ended, wherever it executes. In the process that ran a failed run,
   * rejects with the very error; elsewhere, or after a restart, with `RunFailedError` (D6).
   */
  async result<C = unknown>(runId: string): Promise<RunResult<C>> {
    return awaitResult<C>(this.results, runId);
  }

  /** The run as its store has it: status, context, records, what it waits for (undefined when unknown). */
  async get(runId: string): Promise<RunSnapshot | undefined> {
    const loaded = await this.store.load(runId);
    return loaded && snapshotOf(loaded, this.hashes.get(loaded.run.pipeline));
  }

  /** A page of runs, newest first; pass `cursor` on to get the next. Snapshots here carry no records. */
  async list(filter: RunFilter = {}): Promise<RunSnapshotPage> {
    const page = await this.store.list(filter);
    const runs = page.runs.map((run) =>
      snapshotOf({ run, steps: [], signals: [] }, this.hashes.get(run.pipeline), []),
    );
    return { runs, ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /**
   * Cancels a run (D7): a waiting one at once, a running one at its next step boundary (at once through
   * `run.signal` when it runs here). Resolves once the cancellation is committed as asked.
   */
  async cancel(runId: string, reason = 'cancelled'): Promise<void> {
    const outcome = await this.store.requestCancel(runId, reason, Date.now());
    if (outcome === 'not-found') throw new RunNotFoundError(runId);
    if (outcome === 'finished') return;
    if (this.local.cancelHere(runId, reason) || this.state !== 'open') return;
    if (this.link !== undefined) await this.link.deliver(runId, 'cancel');
    else await this.local.takeUp(runId);
  }

  /**
   * Sends a run the signal `name` with a JSON payload (W1, W2): kept until the run's wait for it
   * consumes it, once; the run wakes at once if it waits here or nowhere. A repeated `dedupeKey` is a
   * no-op. Rejects with `RunNotFoundError` for an unknown run, `RunFinishedError` for an ended one.
   */
  async signal(
    runId: string,
    name: string,
    payload?: unknown,
    options: { dedupeKey?: string } = {},
  ): Promise<void> {
    this.assertOpen('signal');
    const text = encodeContext(`signal "${name}"`, undefined, payload ?? null);
    const dedupe = options.dedupeKey === undefined ? {} : { dedupeKey: options.dedupeKey };
    const outcome = await this.store.appendSignal(runId, { name, payload: text, ...dedupe }, Date.now());
    if (outcome === 'not-found') throw new RunNotFoundError(runId);
    if (outcome === 'finished') {
      const status = (await this.store.load(runId))?.run.status ?? 'ended';
      throw new RunFinishedError(runId, status, `signal "${name}" was not delivered`);
    }
    // Taken up here at once when this runner has the run's definition; else by a process that has it.
    if (outcome !== 'appended' || this.state !== 'open') return;
    if (this.link !== undefined) return this.link.deliver(runId, 'signal');
    const run = (await this.store.load(runId))?.run;
    if (run !== undefined && this.hashes.get(run.pipeline) === run.definitionHash)
      await this.local.takeUp(runId);
  }

  /** Looks for runs that need an owner and takes them up (D4, W3). */
  poll(): Promise<void> {
    if (this.state !== 'open' || this.link?.executes === false) return Promise.resolve();
    // One poll at a time: a slow store must not pile polls up.
    this.polling ??= this.pollNow().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollNow(): Promise<void> {
    const due = await this.store.listDue(Date.now(), {
      limit: 100,
      definitionHashes: [...this.hashes.values()],
    });
    await Promise.all(due.map((runId) => this.local.takeUp(runId)));
  }

  private assertOpen(what: string): void {
    if (this.state !== 'open') throw runnerNotOpen(what, this.state);
  }
}
