// Keys that could reach an object's prototype when class-transformer copies them onto an instance.
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** How deep objects and arrays may nest in a run's input unless `validation.maxDepth` says otherwise. */
export const DEFAULT_MAX_INPUT_DEPTH = 32;

/** The input nests objects or arrays deeper than allowed. */
export class InputTooDeep {
  constructor(readonly maxDepth: number) {}
}

type Container = Record<string, unknown> | unknown[];

/** Whether `value` is copied (a plain object or an array) rather than kept as it is. */
function isCopied(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of untrusted input made only of plain objects, arrays and primitives, without the keys that
 * could touch a prototype (`__proto__`, `constructor`, `prototype`) at any depth. Class instances
 * (dates, for example) are kept as they are; a value met twice (a cycle) becomes undefined.
 *
 * Iterative, and bounded: input nested deeper than `maxDepth` returns {@link InputTooDeep} rather than
 * exhausting the stack here or, later, in class-transformer and class-validator, which both recurse.
 */
export function sanitizeInput(value: unknown, maxDepth = DEFAULT_MAX_INPUT_DEPTH): unknown {
  if (typeof value !== 'object' || value === null || !isCopied(value)) return value;
  const seen = new WeakSet<object>([value]);
  const root: Container = Array.isArray(value) ? [] : {};
  const pending: { source: object; target: Container; depth: number }[] = [
    { source: value, target: root, depth: 1 },
  ];
  for (let job = pending.pop(); job !== undefined; job = pending.pop()) {
    const { source, target, depth } = job;
    const keys = Array.isArray(source) ? source.keys() : Object.keys(source);
    for (const key of keys) {
      if (typeof key === 'string' && forbiddenKeys.has(key)) continue;
      const child = (source as Record<string | number, unknown>)[key];
      let copy: unknown = child;
      if (typeof child === 'object' && child !== null && isCopied(child)) {
        if (seen.has(child)) {
          copy = undefined;
        } else {
          if (depth + 1 > maxDepth) return new InputTooDeep(maxDepth);
          seen.add(child);
          copy = Array.isArray(child) ? [] : {};
          pending.push({ source: child, target: copy as Container, depth: depth + 1 });
        }
      }
      (target as Record<string | number, unknown>)[key] = copy;
    }
  }
  return root;
}
