import {
  DurableRunner,
  MemoryRunStore,
  type DurableStartOptions,
  type Observer,
  type RunFilter,
  type RunResult,
  type RunSnapshot,
  type RunSnapshotPage,
} from '@orka/core';
import { InvalidArgumentError, RunFinishedError, RunNotFoundError } from '@orka/core';
import { validPayload } from '../validation/context-validator.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { DURABLE_DEADLINE } from '../orka.messages.js';
import type { PipelineRegistry, RegisteredPipeline } from '../runtime/pipeline.registry.js';
import type { RunScope } from '../runtime/run-scope.js';
import type { ShutdownGate } from '../runtime/shutdown-gate.js';

/** What the durable runs need from the runner around them. */
export interface DurableRunsHost {
  /** The observer of a run: its own, with the application's. */
  observer(own: Observer | undefined): Observer | undefined;
  scope: RunScope;
  shutdown: ShutdownGate;
}

/**
 * The application's durable runs (N11): one `DurableRunner` over the module's store, made and opened
 * at bootstrap when any pipeline is durable (or on first use), closed at shutdown. Every registered
 * pipeline is handed to it, so that sub-pipelines of durable runs are found by name, as they are
 * after a restart.
 */
export class DurableRuns {
  private opening: Promise<DurableRunner> | undefined;
  private closed = false;

  constructor(
    private readonly registry: PipelineRegistry,
    private readonly options: OrkaModuleOptions,
    private readonly host: DurableRunsHost,
  ) {}

  /** Opens the store and resumes the runs left unfinished, when the application has durable pipelines. */
  async openIfNeeded(): Promise<void> {
    if (this.registry.hasDurable) await this.ready();
  }

  /** The runner, opened on first use (a start before bootstrap ended waits for it). */
  ready(): Promise<DurableRunner> {
    this.opening ??= (async () => {
      const durable = new DurableRunner({
        store: this.options.store ?? new MemoryRunStore(),
        pipelines: this.registry.kernels(),
        ...this.options.durable,
        ...(this.options.transport !== undefined && { transport: this.options.transport }),
        ...(this.options.role !== undefined && { role: this.options.role }),
        // The application's observers see every durable run this process executes, resumed ones too.
        observer: (event) => this.host.observer(undefined)?.(event),
        resolvePipeline: (source) => this.registry.kernelFor(source),
        enterRun: this.host.scope.enterRun,
      });
      await durable.open();
      return durable;
    })();
    return this.opening;
  }

  /** Starts a run in the caller's run scope (its request, N5); resolves once it is committed (D1). */
  async start(
    entry: RegisteredPipeline,
    input: unknown,
    options: DurableStartOptions,
  ): Promise<{ runId: string; created: boolean }> {
    const durable = await this.ready();
    // Only the run's own observer: the application's see every durable run through the runner's own.
    return this.host.scope.enter(() => durable.start(entry.kernel, input as object, options));
  }

  /**
   * `runner.run` of a durable pipeline: `start` then `result`. The caller's signal cancels the run
   * (D7); a shutdown that outlasts the grace period rejects with `OrkaShutdownError` while the run
   * goes on elsewhere.
   */
  async run(
    entry: RegisteredPipeline,
    input: unknown,
    options: { runId?: string; signal?: AbortSignal; deadlineMs?: number; observer?: Observer },
  ): Promise<RunResult<unknown>> {
    if (options.deadlineMs !== undefined)
      throw new InvalidArgumentError(entry.host.name, 'deadlineMs', DURABLE_DEADLINE(entry.host.name));
    const { runId } = await this.start(entry, input, {
      ...(options.runId !== undefined && { runId: options.runId }),
      ...(options.observer !== undefined && { observer: options.observer }),
    });
    const signal = options.signal;
    const cancel = () =>
      void this.cancel(runId, String(signal?.reason ?? 'cancelled')).catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await this.result(runId);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** The run's result; a shutdown past its grace period rejects it with `OrkaShutdownError`. */
  async result(runId: string): Promise<RunResult<unknown>> {
    return this.host.shutdown.race((await this.ready()).result(runId));
  }

  async get(runId: string): Promise<RunSnapshot | undefined> {
    return (await this.ready()).get(runId);
  }

  async list(filter: RunFilter): Promise<RunSnapshotPage> {
    return (await this.ready()).list(filter);
  }

  /**
   * Sends a durable run a signal (W1, W2, N11): the payload is validated into the class of the
   * `@WaitFor` that waits for it, first; an invalid one is refused (`OrkaValidationError`) and the run
   * keeps waiting.
   */
  async signal(
    runId: string,
    name: string,
    payload: unknown,
    options: { dedupeKey?: string },
  ): Promise<void> {
    const durable = await this.ready();
    const run = await durable.get(runId);
    if (run === undefined) throw new RunNotFoundError(runId);
    if (run.status !== 'running' && run.status !== 'waiting')
      throw new RunFinishedError(runId, run.status, `signal "${name}" was not delivered`);
    const payloadClass = this.registry.signalPayload(run.pipeline, name);
    const plain = payloadClass
      ? await validPayload(run.pipeline, payloadClass, payload, this.registry.validation)
      : payload;
    await durable.signal(runId, name, plain, options);
  }

  async cancel(runId: string, reason: string | undefined): Promise<void> {
    return (await this.ready()).cancel(runId, reason);
  }

  /**
   * Lets the runs executing here reach their end or their next wait within `graceMs`; then stops them
   * at their next commit, for another process (or the next start) to take up; closes the store.
   * Waiting runs stay waiting: a shutdown cancels no durable run.
   */
  async close(graceMs: number): Promise<void> {
    if (this.closed || this.opening === undefined) return;
    this.closed = true;
    const durable = await this.opening.catch(() => undefined);
    await durable?.close({ releaseAfterMs: graceMs });
  }
}
