import { Injectable, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PipelineHost } from '../interfaces/pipeline-host.interface.js';
import type { DiscoveredWrapper } from '../nest-internals.js';
import { OrkaMetadataAccessor } from './orka-metadata.accessor.js';

/** Finds every `@Pipeline` provider of the application, in any module (N1). */
@Injectable()
export class PipelineExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly accessor: OrkaMetadataAccessor,
  ) {}

  /** Every pipeline provider, described by the class of the instance actually provided. */
  explore(): PipelineHost[] {
    const hosts: PipelineHost[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.isAlias) continue;
      const cls = this.classOf(wrapper);
      const options = cls ? this.accessor.pipelineOptions(cls) : undefined;
      if (!cls || !options) continue;
      const requestScoped = !wrapper.isDependencyTreeStatic();
      hosts.push({
        token: wrapper.token,
        cls,
        name: options.name ?? cls.name,
        options,
        requestScoped,
        instance: requestScoped ? undefined : (wrapper.instance as Record<string, unknown>),
      });
    }
    return hosts;
  }

  /**
   * The class to read metadata from. With `useValue` the wrapper has no metatype, and with
   * `useFactory` the metatype is the factory: the instance's own class is the truth then, which is
   * what makes `overrideProvider(P).useValue(new Fake())` and `.useFactory(...)` work.
   */
  private classOf(wrapper: DiscoveredWrapper): Type<object> | undefined {
    const fromInstance = () => {
      const instance = wrapper.instance as object | null | undefined;
      if (!instance || typeof instance !== 'object') return undefined;
      const proto = Object.getPrototypeOf(instance) as { constructor?: unknown } | null;
      return typeof proto?.constructor === 'function' ? (proto.constructor as Type<object>) : undefined;
    };
    if (!wrapper.metatype || wrapper.inject) return fromInstance();
    return wrapper.metatype as Type<object>;
  }
}
