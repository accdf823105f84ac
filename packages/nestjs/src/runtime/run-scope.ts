import { ContextIdFactory, type ContextId, type ModuleRef } from '@nestjs/core';
import type { EnterRun } from '@orka/core';
import { orkaStorage } from './orka-context.storage.js';
import type { PipelineRegistry } from './pipeline.registry.js';

/**
 * Where a run starts (N5): inside the run's async context when context tracking is on, with the
 * request it started in and, when any pipeline is request-scoped, the DI context of that request (as
 * @nestjs/cqrs resolves request-scoped handlers). Off, a run starts as it is, and pays nothing.
 */
export class RunScope {
  constructor(
    private readonly registry: PipelineRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * What every run and sub-run executes inside when context tracking is on (the kernel's `enterRun`):
   * one store per run, naming the run, its context, the request and the DI context. The handler calls
   * of a run whose steps run one at a time share it (see the invoker), so that `OrkaContext` costs one
   * store per run rather than one per handler call.
   */
  get enterRun(): EnterRun | undefined {
    return this.registry.tracking ? this.enterRunInStore : undefined;
  }

  private readonly enterRunInStore: EnterRun = (run, execute) =>
    orkaStorage.run({ ...this.around(), ctx: run.context, run, active: run }, execute);

  /** Runs `start` in a store with the caller's request and DI context: for durable runs, which start here and execute later. */
  enter<T>(start: () => Promise<T>): Promise<T> {
    if (!this.registry.tracking) return start();
    return orkaStorage.run(this.around(), start);
  }

  /**
   * The request and DI context of the store around the caller (a sub-run, or a run started inside
   * another, keeps those of the run around it); a DI context made for the request when there is none.
   */
  private around(): { request: unknown; contextId: ContextId | undefined } {
    const outer = orkaStorage.getStore();
    const request = outer?.request;
    return { request, contextId: outer?.contextId ?? this.contextIdFor(request) };
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
