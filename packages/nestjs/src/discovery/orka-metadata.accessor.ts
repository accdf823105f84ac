import { Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HandlerMetadata } from '../interfaces/handler-metadata.interface.js';
import type { PipelineDecoratorOptions } from '../interfaces/pipeline-options.interface.js';
import { HANDLER_METADATA, PIPELINE_METADATA } from '../orka.constants.js';

/** One decorated method of a pipeline class. */
export interface DecoratedMethod {
  name: string;
  metadata: HandlerMetadata;
}

/** Reads Orka's metadata from classes, through Nest's `Reflector` (as @nestjs/schedule's accessor does). */
@Injectable()
export class OrkaMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  /** The `@Pipeline()` options of a class (inherited from a decorated base class), or undefined. */
  pipelineOptions(cls: unknown): PipelineDecoratorOptions | undefined {
    if (typeof cls !== 'function') return undefined;
    return this.reflector.get<PipelineDecoratorOptions | undefined>(PIPELINE_METADATA, cls as Type<unknown>);
  }

  /**
   * The class's decorated methods in declaration order. Base classes come first, so that a test
   * double extending a pipeline keeps the pipeline's step order; an override keeps its base's place
   * and, if it carries no decorator of its own, the base's metadata.
   */
  methods(cls: Type<unknown>): DecoratedMethod[] {
    const chain: object[] = [];
    for (
      let p = cls.prototype as object | null;
      p && p !== Object.prototype;
      p = Object.getPrototypeOf(p) as object | null
    ) {
      chain.unshift(p);
    }
    const order: string[] = [];
    const found = new Map<string, HandlerMetadata>();
    for (const proto of chain) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (typeof descriptor?.value !== 'function') continue;
        const metadata = this.reflector.get<HandlerMetadata | undefined>(
          HANDLER_METADATA,
          descriptor.value as (...args: unknown[]) => unknown,
        );
        if (!found.has(name) && !order.includes(name)) order.push(name);
        if (metadata) found.set(name, metadata);
      }
    }
    return order.filter((n) => found.has(n)).map((name) => ({ name, metadata: found.get(name)! }));
  }
}
