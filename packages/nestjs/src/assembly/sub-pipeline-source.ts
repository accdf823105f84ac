import type { ForwardReference, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { InvalidArgumentError, Pipeline as KernelPipeline, type PipelineSource } from '@orka/core';
import type { PipelineHost } from '../interfaces/pipeline-host.interface.js';
import type { SubPipelineSource } from '../interfaces/sub-pipeline.interface.js';
import * as messages from '../orka.messages.js';

/** The kernel pipeline assembled for a `@Pipeline` class (its provider token), when there is one. */
export type KernelLookup = (token: unknown) => KernelPipeline<object> | undefined;

/**
 * Turns a `@SubPipeline` source into a kernel pipeline source (N8): a class or `forwardRef` is looked
 * up at bootstrap (a problem when it is no `@Pipeline` provider), a factory on each matching run.
 */
export function kernelSubPipelineSource(
  host: PipelineHost,
  method: string,
  source: SubPipelineSource,
  lookup: KernelLookup,
  moduleRef: ModuleRef,
  problems: string[],
): PipelineSource<object, object> {
  const cls = host.cls.name;
  if ('forwardRef' in source && typeof source.forwardRef === 'function') {
    const target = (source as ForwardReference<() => Type<object>>).forwardRef();
    const found = lookup(target);
    if (!found) problems.push(messages.NOT_A_PIPELINE_CLASS(cls, method, describe(target)));
    return found ?? placeholder(host.name);
  }
  if (isClass(source)) {
    const found = lookup(source);
    if (!found) problems.push(messages.NOT_A_PIPELINE_CLASS(cls, method, describe(source)));
    return found ?? placeholder(host.name);
  }
  const factory = source as (ctx: object, moduleRef: ModuleRef) => Type<object> | Promise<Type<object>>;
  return async (ctx: object) => {
    const target = await factory(ctx, moduleRef);
    const found = lookup(target);
    if (!found) {
      throw new InvalidArgumentError(
        host.name,
        'sub-pipeline',
        messages.SUB_FACTORY_NOT_A_PIPELINE(cls, method, describe(target)),
      );
    }
    return found;
  };
}

function isClass(value: unknown): value is Type<object> {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function describe(value: unknown): string {
  return typeof value === 'function' ? value.name || 'an anonymous function' : String(value);
}

/** Stands in for a sub-pipeline that could not be found; the definition error stops the bootstrap anyway. */
function placeholder(name: string): KernelPipeline<object> {
  const p = new KernelPipeline<object>(`${name}:missing-sub-pipeline`, ['missing']);
  p.optional('missing');
  return p;
}
