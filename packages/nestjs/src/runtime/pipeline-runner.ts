import {
  HttpException,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  InvalidArgumentError,
  type Observer,
  type OrkaEvent,
  type PipelineDescription,
  type PlannedStep,
  type RunFilter,
  type RunResult,
  type RunSnapshot,
  type RunSnapshotPage,
} from '@orka/core';
import type { Observable } from 'rxjs';
import { DurableRuns } from '../durable/durable-runs.js';
import { RunErrorClassifier, asHttpException } from '../http/run-error-classifier.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import type {
  PipelineRunOptions,
  PipelineStartOptions,
  PipelineStreamOptions,
} from '../interfaces/runner-options.interface.js';
import type { PipelineContextOf, PipelineTarget } from '../interfaces/typing.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { DURABLE_ONLY } from '../orka.messages.js';
import { PipelineRegistry, type RegisteredPipeline } from './pipeline.registry.js';
import { RunLogger } from './run-logger.js';
import { AppObservers } from './app-observers.js';
import { RunScope } from './run-scope.js';
import { runStream } from './run-stream.js';
import { ShutdownGate } from './shutdown-gate.js';

/**
 * Runs the application's pipelines (N3, N11). A singleton: inject it anywhere.
 *
 * ```ts
 * const { context } = await this.runner.run(OnboardingPipeline, body); // context: OnboardingContext
 * ```
 * @publicApi
 */
@Injectable()
export class PipelineRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly observers: AppObservers;
  private readonly resolvePipeline = (source: unknown) => this.registry.kernelFor(source);
  private readonly durable: DurableRuns;
  private readonly scope: RunScope;

  constructor(
    private readonly registry: PipelineRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
    private readonly classifier: RunErrorClassifier,
    private readonly logger: RunLogger,
    private readonly shutdown: ShutdownGate,
  ) {
    const runLines = logger.runLines();
    this.observers = new AppObservers([...(options.observers ?? []), ...(runLines ? [runLines] : [])]);
    this.scope = new RunScope(registry, moduleRef);
    this.durable = new DurableRuns(registry, options, {
      observer: (own) => this.observers.with(own),
      scope: this.scope,
      shutdown,
    });
  }

  /**
   * Runs a pipeline with `input` as its context (validated into the pipeline's context class, when it
   * declares one). Resolves to the run's result, typed by the class's context; rejects with the
   * step's error unchanged. For a durable pipeline, it is `start()` then `result()`.
   */
  run<P>(
    pipeline: Type<P>,
    input: unknown,
    options?: PipelineRunOptions,
  ): Promise<RunResult<PipelineContextOf<P>>>;
  run(pipeline: string, input: unknown, options?: PipelineRunOptions): Promise<RunResult<unknown>>;
  run(target: PipelineTarget, input: unknown, options: PipelineRunOptions = {}): Promise<RunResult<unknown>> {
    return this.launch(target, (entry) =>
      entry.host.options.durable === true
        ? this.durable.run(entry, input, options)
        : (
            entry.kernel.run(input as object, {
              runId: options.runId,
              deadlineMs: options.deadlineMs,
              signal: options.signal
                ? AbortSignal.any([options.signal, this.shutdown.signal])
                : this.shutdown.signal,
              observer: this.observers.with(options.observer),
              resolvePipeline: this.resolvePipeline,
              enterRun: this.scope.enterRun,
            }) as Promise<RunResult<unknown>>
          ).then((result) => this.shutdown.check(result, options.signal)),
    );
  }

  /**
   * Runs a pipeline and emits its events (sub-runs' included); completes after the last, or errors with
   * the run's error. Unsubscribing stops the events, not the run, unless `cancelOnUnsubscribe` is set.
   */
  run$(pipeline: PipelineTarget, input: unknown, options: PipelineStreamOptions = {}): Observable<OrkaEvent> {
    const { cancelOnUnsubscribe, ...runOptions } = options;
    return runStream(
      (observer, signal) => this.run(pipeline as string, input, { ...runOptions, observer, signal }),
      { observer: options.observer, signal: options.signal, cancelOnUnsubscribe },
    );
  }

  /**
   * Starts a run of a durable pipeline and resolves once it is committed (D1), with its id; it goes on
   * in the background, here or, after a crash, in any process with the same definition. With an
   * `idempotencyKey` already used, starts nothing and resolves to that run's id (`created: false`).
   */
  start(
    pipeline: PipelineTarget,
    input: unknown,
    options: PipelineStartOptions = {},
  ): Promise<{ runId: string; created: boolean }> {
    return this.launch(pipeline, (entry) => {
      if (entry.host.options.durable !== true)
        throw new InvalidArgumentError(entry.host.name, 'pipeline', DURABLE_ONLY('start', entry.host.name));
      return this.durable.start(entry, input, options);
    });
  }

  /**
   * The result of a durable run once it has ended, wherever it executes (D6): in the process that ran
   * a failed run, it rejects with the very error; elsewhere, or after a restart, with `RunFailedError`.
   */
  result<C = unknown>(runId: string): Promise<RunResult<C>> {
    return this.durable.result(runId) as Promise<RunResult<C>>;
  }

  /** A durable run as its store has it (status, context, records, what it waits for); undefined when unknown. */
  get(runId: string): Promise<RunSnapshot | undefined> {
    return this.durable.get(runId);
  }

  /** A page of durable runs, newest first; pass `cursor` on for the next. */
  list(filter: RunFilter = {}): Promise<RunSnapshotPage> {
    return this.durable.list(filter);
  }

  /**
   * Sends a durable run the signal its `@WaitFor` step waits for (W1, N11), with a payload validated
   * into that step's payload class; an invalid one rejects with `OrkaValidationError` (400) and the run
   * keeps waiting. A signal sent early is kept until the run gets there; a repeated `dedupeKey` is a no-op.
   */
  signal(
    runId: string,
    signal: string,
    payload?: unknown,
    options: { dedupeKey?: string } = {},
  ): Promise<void> {
    return this.durable.signal(runId, signal, payload, options);
  }

  /** Cancels a durable run (D7): a waiting one at once, a running one at its next step boundary. */
  cancel(runId: string, reason?: string): Promise<void> {
    return this.durable.cancel(runId, reason);
  }

  /** What a run would do with each step for this input (after validation); nothing executes (K11). */
  async plan(pipeline: PipelineTarget, input: unknown): Promise<PlannedStep[]> {
    const entry = this.registry.get(pipeline);
    const ctx = entry.prepare ? await entry.prepare(input, { sharedWithParent: false }) : (input as object);
    return entry.kernel.plan(ctx);
  }

  /** The pipeline's definition as a JSON-serialisable object (R5). */
  describe(pipeline: PipelineTarget): PipelineDescription {
    return this.registry.get(pipeline).kernel.describe();
  }

  /** The pipeline's definition as a Mermaid flowchart (R5). */
  toMermaid(pipeline: PipelineTarget): string {
    return this.registry.get(pipeline).kernel.toMermaid();
  }

  /**
   * The `HttpException` an HTTP request would be answered with for this error (N6): for transports that
   * write errors themselves, such as Server-Sent Events. An `HttpException` is returned as it is; an
   * error that Orka does not map (or any error, with `httpErrors: false`) gives a 500 without detail.
   */
  toHttpException(err: unknown): HttpException {
    return this.options.httpErrors === false ? asHttpException(err) : this.classifier.toHttpException(err);
  }

  /** The names of every registered pipeline. */
  pipelines(): string[] {
    return this.registry.pipelineNames();
  }

  /** Attaches an observer to every run of this application until the returned function is called. */
  observe(observer: Observer): () => void {
    return this.observers.add(observer);
  }

  /** N11: opens the run store and resumes unfinished durable runs, once every provider is ready. */
  onApplicationBootstrap(): Promise<void> {
    return this.durable.openIfNeeded();
  }

  /**
   * N9, N11: refuses new runs, lets the runs in flight finish within the grace period, then aborts the
   * in-memory ones and lets the durable ones go at their next commit (they resume elsewhere, or at the
   * next start); closes the store. Done at `onModuleDestroy`, the first shutdown hook, so that the
   * services that runs in flight use are still alive while they finish.
   */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.shutdown.close(), this.durable.close(this.shutdown.graceMs)]);
  }

  /** Looks the pipeline up, refuses it during shutdown, and tracks and logs what `work` starts. */
  private launch<T>(target: PipelineTarget, work: (entry: RegisteredPipeline) => Promise<T>): Promise<T> {
    let promise: Promise<T>;
    try {
      const entry = this.registry.get(target);
      const refusal = this.shutdown.refusal(entry.host.name);
      promise = refusal ? Promise.reject(refusal) : work(entry);
    } catch (err) {
      return Promise.reject(err);
    }
    this.shutdown.track(promise);
    promise.catch((err: unknown) => this.logger.failed(err));
    return promise;
  }
}
