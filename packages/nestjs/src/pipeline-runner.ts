import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { ContextIdFactory, ModuleRef, type ContextId } from '@nestjs/core';
import {
  combineObservers,
  runFailure,
  type Observer,
  type OrkaEvent,
  type PipelineDescription,
  type PlannedStep,
  type RunOptions,
  type RunResult,
} from '@orka/core';
import { setMaxListeners } from 'node:events';
import { Observable } from 'rxjs';
import { orkaStorage } from './context/orka-context.storage.js';
import { OrkaErrorMapper, httpMappingOf } from './http/error-mapper.js';
import { OrkaShutdownError } from './errors/orka-shutdown.error.js';
import type { OrkaModuleOptions } from './interfaces/orka-module-options.interface.js';
import type { PipelineContextOf, PipelineTarget } from './interfaces/typing.js';
import { ORKA_MODULE_OPTIONS } from './orka.constants.js';
import { RUN_FAILED_LOG, SHUTDOWN_ABORT, SHUTTING_DOWN } from './orka.messages.js';
import { PipelineRegistry, type RegisteredPipeline } from './pipeline.registry.js';
import type { Type } from '@nestjs/common';

/** Options of a run through `PipelineRunner`: the kernel's run options. */
export type PipelineRunOptions = Pick<RunOptions, 'signal' | 'runId' | 'deadlineMs' | 'observer'>;

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
  private readonly logger = new Logger('Orka');
  private readonly appObservers: Observer[];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private closing = false;
  private readonly resolvePipeline = (source: unknown) => this.registry.kernelFor(source);
  private readonly logRuns: boolean;

  constructor(
    private readonly registry: PipelineRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
    @Optional() @Inject(OrkaErrorMapper) private readonly errorMapper: OrkaErrorMapper | null,
  ) {
    // Every run listens to this signal; runs in flight may be many, so Node's listener warning is moot.
    setMaxListeners(0, this.shutdown.signal);
    this.appObservers = [...(options.observers ?? [])];
    this.logRuns = options.logger !== false;
    if (this.logRuns && Logger.isLevelEnabled('debug')) this.appObservers.push(this.debugObserver);
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
    if (this.closing) return Promise.reject(new OrkaShutdownError(SHUTTING_DOWN(entry.host.name)));
    const runOptions: RunOptions = {
      runId: options.runId,
      deadlineMs: options.deadlineMs,
      signal: options.signal ? AbortSignal.any([options.signal, this.shutdown.signal]) : this.shutdown.signal,
      observer: this.observerFor(options.observer),
      resolvePipeline: this.resolvePipeline,
    };
    const start = () => entry.kernel.run(input as object, runOptions) as Promise<RunResult<unknown>>;
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
    this.inFlight.add(promise);
    const settled = () => this.inFlight.delete(promise);
    promise.then(settled, (err: unknown) => {
      settled();
      if (this.logRuns) this.logFailure(err);
    });
    return promise;
  }

  /** Runs a pipeline and emits its events (sub-runs' included); completes after the last, or errors with the run's error. */
  run$(pipeline: PipelineTarget, input: unknown, options: PipelineRunOptions = {}): Observable<OrkaEvent> {
    return new Observable<OrkaEvent>((subscriber) => {
      const observer = combineObservers(options.observer, (event) => subscriber.next(event));
      this.run(pipeline as string, input, { ...options, observer }).then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
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
   * The `HttpException` an HTTP request would be answered with for this error of a run (N6): for
   * transports that write errors themselves, such as Server-Sent Events. Errors that did not come out
   * of a run, and every error when `httpErrors` is off, are returned unchanged.
   */
  toHttpException(err: unknown): unknown {
    return this.errorMapper ? this.errorMapper.toHttp(err) : err;
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
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.inFlight.size === 0) return;
    const grace = this.options.shutdownGraceMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), grace)));
    const result = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => 'done' as const),
      graceOver,
    ]);
    clearTimeout(timer);
    if (result === 'late') {
      this.shutdown.abort(new OrkaShutdownError(SHUTDOWN_ABORT(grace)));
      await Promise.allSettled([...this.inFlight]);
    }
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

  private readonly debugObserver: Observer = (event) => {
    if (event.type !== 'run.finished') return;
    this.logger.debug(
      `Run ${event.runId} of pipeline "${event.pipeline}" ${event.outcome} in ${event.durationMs.toFixed(1)} ms`,
    );
  };

  /**
   * Failures at error level, with the stack. An error mapped to a client error (a 4xx, such as a
   * duplicate user) is part of the domain, not a fault: it is logged at warn level, without stack.
   */
  private logFailure(err: unknown): void {
    const failure = runFailure(err);
    if (!failure) return;
    const line = RUN_FAILED_LOG(failure, err);
    const mapping = httpMappingOf(err, this.options.errors ?? []);
    if (mapping && mapping.status < 500) this.logger.warn(line);
    else this.logger.error(line, err instanceof Error ? err.stack : undefined);
  }
}
