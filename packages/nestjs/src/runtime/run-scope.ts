import { ContextIdFactory, type ContextId, type ModuleRef } from '@nestjs/core';
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

  enter<T>(start: () => Promise<T>): Promise<T> {
    if (!this.registry.tracking) return start();
    const outer = orkaStorage.getStore();
    const request = outer?.request;
    return orkaStorage.run({ request, contextId: outer?.contextId ?? this.contextIdFor(request) }, start);
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
