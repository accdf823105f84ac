import type { Type } from '@nestjs/common';
import { ContextNotSerializableError, type ContextCodec } from '@orka/core';
import { instanceToPlain, plainToInstance, type ClassTransformOptions } from 'class-transformer';

/**
 * The codec of a pipeline with a context class (D3): class-transformer both ways, so that a resumed
 * step gets an instance of the class again, with its nested classes, `Date`s and `Map`s (declared with
 * `@Type`, as class-transformer needs them). Dates become ISO strings in the JSON. class-transformer
 * leaves functions out without a word, so they are refused first, by their property path; anything
 * else that JSON would not bring back is left for the kernel's own check.
 */
export function classTransformerCodec<C extends object>(
  pipeline: string,
  contextClass: Type<C>,
  options: ClassTransformOptions | undefined,
): ContextCodec<C> {
  return {
    encode: (ctx) => {
      const problem = firstUnencodable(ctx);
      if (problem) throw new ContextNotSerializableError(pipeline, problem.path, problem.found);
      return datesAsStrings(instanceToPlain(ctx, options));
    },
    decode: (plain) => plainToInstance(contextClass, plain as object, options),
  };
}

/**
 * The first value in `root` (through objects, arrays, maps and sets) that class-transformer would drop
 * (a function) or never finish with (a cycle; an object met twice, as the kernel counts it too).
 */
function firstUnencodable(root: unknown): { path: string; found: string } | undefined {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '$' }];
  const seen = new Set<object>();
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value === 'function') return { path, found: 'a function' };
    if (typeof value !== 'object' || value === null || value instanceof Date) continue;
    if (seen.has(value))
      return { path, found: 'a reference to an object already in the context (a cycle or a shared object)' };
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) pending.push({ value: v, path: `${path}.${String(k)}` });
    } else if (value instanceof Set || Array.isArray(value)) {
      let i = 0;
      for (const v of value as Iterable<unknown>) pending.push({ value: v, path: `${path}[${i++}]` });
    } else {
      for (const [k, v] of Object.entries(value)) pending.push({ value: v, path: `${path}.${k}` });
    }
  }
  return undefined;
}

/** `value` with every `Date` in it replaced by its ISO string, in place (it is a fresh plain copy). */
function datesAsStrings(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (v instanceof Date) record[key] = v.toISOString();
      else if (typeof v === 'object' && v !== null) pending.push(v);
    }
  }
  return value;
}
