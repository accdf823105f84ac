import { ContextNotSerializableError } from '../errors/durable-errors.js';

/**
 * How a durable pipeline's context becomes plain data and back (D3). `encode` returns what
 * `JSON.stringify` can write and read back unchanged; `decode` makes the context from it.
 */
export interface ContextCodec<C> {
  encode(ctx: C): unknown;
  decode(plain: unknown): C;
}

/** What would not survive JSON at `value`, or undefined when it would: a description for the error. */
function notPlain(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${value}`;
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null || Array.isArray(value)) return undefined;
      {
        const proto = Object.getPrototypeOf(value) as object | null;
        if (proto === Object.prototype || proto === null) return undefined;
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object';
        return `an instance of ${name}`;
      }
    default:
      return `a ${typeof value}`;
  }
}

/**
 * The path and description of the first value in `root` that JSON would not bring back the same, or
 * undefined when there is none. Iterative: a deep context does not exhaust the stack.
 */
export function firstUnserializable(root: unknown): { path: string; found: string } | undefined {
  const seen = new Set<object>();
  const pending: { value: unknown; path: string; inArray: boolean }[] = [
    { value: root, path: '$', inArray: false },
  ];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, inArray } = item;
    // A property set to undefined is left out by JSON and reads back undefined: the same. In an array it becomes null.
    if (value === undefined && !inArray && path !== '$') continue;
    const found = notPlain(value);
    if (found !== undefined) return { path, found };
    if (typeof value !== 'object' || value === null) continue;
    if (seen.has(value))
      return { path, found: 'a reference to an object already in the context (a cycle or a shared object)' };
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        pending.push({ value: value[i], path: `${path}[${i}]`, inArray: true });
    } else {
      for (const key of Object.keys(value).reverse())
        pending.push({
          value: (value as Record<string, unknown>)[key],
          path: `${path}.${key}`,
          inArray: false,
        });
    }
  }
  return undefined;
}

/** The context as the JSON text a store keeps; throws `ContextNotSerializableError` when it cannot be. */
export function encodeContext<C>(pipeline: string, codec: ContextCodec<C> | undefined, ctx: C): string {
  const plain = codec ? codec.encode(ctx) : ctx;
  const problem = firstUnserializable(plain);
  if (problem) throw new ContextNotSerializableError(pipeline, problem.path, problem.found);
  return JSON.stringify(plain);
}

/** The context back from the JSON text a store kept. */
export function decodeContext<C>(codec: ContextCodec<C> | undefined, text: string): C {
  const plain: unknown = JSON.parse(text);
  return codec ? codec.decode(plain) : (plain as C);
}
