import { HttpException, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ContextIdFactory, ModuleRef, type ContextId } from '@nestjs/core';
import {
  combineObservers,
  type Observer,
  type OrkaEvent,
  type PipelineDescription,
  type PlannedStep,
  type RunOptions,
  type RunResult,
} from '@orka/core';
import { Observable } from 'rxjs';
import { orkaStorage } from './orka-context.storage.js';
import { RunErrorClassifier, asHttpException } from '../http/run-error-classifier.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import type { PipelineContextOf, PipelineTarget } from '../interfaces/typing.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { RUN_STREAM_UNSUBSCRIBED } from '../orka.messages.js';
import { PipelineRegistry, type RegisteredPipeline } from './pipeline.registry.js';
import { RunLogger } from './run-logger.js';
import { ShutdownGate } from './shutdown-gate.js';
import type { Type } from '@nestjs/common';

/** Options of a run through `PipelineRunner`: the kernel's run options. */
export type PipelineRunOptions = Pick<RunOptions, 'signal' | 'runId' | 'deadlineMs' | 'observer'>;

/** Options of `PipelineRunner.run$`. */
export interface PipelineStreamOptions extends PipelineRunOptions {
  /**
   * Cancel the run when the subscriber unsubscribes (a client that closed its event stream). Off by
   * default: a checkout must not stop halfway because nobody watches it any more.
   */
  cancelOnUnsubscribe?: boolean;
}

/**
 * Runs the application's pipelines (N3). A singleton: inject it anywhere.
 *
 * ```ts
 * const { context } = await this.runner.run(OnboardingPipeline, body); // context: OnboardingContext
 * ```
 * @publicApi
 */
@Injectable()
export class PipelineRunner implements OnModuleDestroy {
  private readonly appObservers: Observer[];
  private readonly resolvePipeline = (source: unknown) => this.registry.kernelFor(source);

  constructor(
    private readonly registry: PipelineRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
    private readonly classifier: RunErrorClassifier,
    private readonly logger: RunLogger,
    private readonly shutdown: ShutdownGate,
  ) {
    const runLines = logger.runLines();
    this.appObservers = [...(options.observers ?? []), ...(runLines ? [runLines] : [])];
  }

  /**
   * Runs a pipeline with `input` as its context (validated into the pipeline's context class, when it
   * declares one). Resolves to the run's result, typed by the class's context; rejects with the
   * step's error unchanged.
   */
  run<P>(
    pipeline: Type<P>,
    input: unknown,
    options?: PipelineRunOptions,
  ): Promise<RunResult<PipelineContextOf<P>>>;
  run(pipeline: string, input: unknown, options?: PipelineRunOptions): Promise<RunResult<unknown>>;
  run(target: PipelineTarget, input: unknown, options: PipelineRunOptions = {}): Promise<RunResult<unknown>> {
    let entry: RegisteredPipeline;
    try {
      entry = this.registry.get(target);
    } catch (err) {
      return Promise.reject(err);
    }
    const refusal = this.shutdown.refusal(entry.host.name);
    if (refusal) return Promise.reject(refusal);
    const runOptions: RunOptions = {
      runId: options.runId,
      deadlineMs: options.deadlineMs,
      signal: options.signal ? AbortSignal.any([options.signal, this.shutdown.signal]) : this.shutdown.signal,
      observer: this.observerFor(options.observer),
      resolvePipeline: this.resolvePipeline,
    };
    const start = () =>
      (entry.kernel.run(input as object, runOptions) as Promise<RunResult<unknown>>).then((result) =>
        this.shutdown.check(result, options.signal),
      );
    let promise: Promise<RunResult<unknown>>;
    if (this.registry.tracking) {
      const outer = orkaStorage.getStore();
      const request = outer?.request;
      promise = orkaStorage.run(
        { request, contextId: outer?.contextId ?? this.contextIdFor(request) },
        start,
      );
    } else {
      promise = start();
    }
    this.shutdown.track(promise);
    promise.catch((err: unknown) => this.logger.failed(err));
    return promise;
  }

  /**
   * Runs a pipeline and emits its events (sub-runs' included); completes after the last, or errors with
   * the run's error. Unsubscribing stops the events, not the run, unless `cancelOnUnsubscribe` is set.
   */
  run$(pipeline: PipelineTarget, input: unknown, options: PipelineStreamOptions = {}): Observable<OrkaEvent> {
    const { cancelOnUnsubscribe, ...runOptions } = options;
    return new Observable<OrkaEvent>((subscriber) => {
      const observer = combineObservers(options.observer, (event) => subscriber.next(event));
      const cancel = cancelOnUnsubscribe ? new AbortController() : undefined;
      const signal =
        cancel && options.signal
          ? AbortSignal.any([options.signal, cancel.signal])
          : (cancel?.signal ?? options.signal);
      let settled = false;
      this.run(pipeline as string, input, { ...runOptions, observer, signal }).then(
        () => {
          settled = true;
          subscriber.complete();
        },
        (err: unknown) => {
          settled = true;
          subscriber.error(err);
        },
      );
      return () => {
        if (!settled) cancel?.abort(new DOMException(RUN_STREAM_UNSUBSCRIBED, 'AbortError'));
      };
    });
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
    this.appObservers.push(observer);
    return () => {
      const i = this.appObservers.indexOf(observer);
      if (i !== -1) this.appObservers.splice(i, 1);
    };
  }

  /**
   * N9: refuses new runs, lets the runs in flight finish within the grace period, then aborts their
   * signals and waits for them to settle. Done at `onModuleDestroy`, the first shutdown hook, so that
   * the services that runs in flight use are still alive while they finish.
   */
  onModuleDestroy(): Promise<void> {
    return this.shutdown.close();
  }

  private observerFor(own: Observer | undefined): Observer | undefined {
    // Each observer on its own: one that throws must not keep the others from seeing the event.
    return this.appObservers.length === 0 ? own : combineObservers(own, ...this.appObservers);
  }

  private contextIdFor(request: unknown): ContextId | undefined {
    if (!this.registry.hasRequestScoped) return undefined;
    if (request === undefined || request === null || typeof request !== 'object')
      return ContextIdFactory.create();
    const contextId = ContextIdFactory.getByRequest(request);
    this.moduleRef.registerRequestByContextId(request, contextId);
    return contextId;
  }
}
