/** Keys that could reach an object's prototype when class-transformer copies them onto an instance. */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

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
 * Every request body passes here, so it keeps to plain loops, a `Set` (the copy is short-lived: no
 * need for a WeakSet's weak references) and three parallel stacks rather than an object per container.
 */
export function sanitizeInput(value: unknown, maxDepth = DEFAULT_MAX_INPUT_DEPTH): unknown {
  if (typeof value !== 'object' || value === null || !isCopied(value)) return value;
  const seen = new Set<object>([value]);
  const root: Container = Array.isArray(value) ? [] : {};
  const sources: object[] = [value];
  const targets: Container[] = [root];
  const depths: number[] = [1];
  while (sources.length > 0) {
    const source = sources.pop()!;
    const target = targets.pop() as Record<string | number, unknown>;
    const depth = depths.pop()!;
    // Copies a child of `source` under `key`; false when the input is too deep.
    const copyChild = (key: string | number, child: unknown): boolean => {
      if (typeof child !== 'object' || child === null || !isCopied(child)) {
        target[key] = child;
        return true;
      }
      if (seen.has(child)) {
        target[key] = undefined;
        return true;
      }
      if (depth + 1 > maxDepth) return false;
      seen.add(child);
      const copy: Container = Array.isArray(child) ? [] : {};
      target[key] = copy;
      sources.push(child);
      targets.push(copy);
      depths.push(depth + 1);
      return true;
    };
    if (Array.isArray(source)) {
      for (let i = 0; i < source.length; i++) if (!copyChild(i, source[i])) return new InputTooDeep(maxDepth);
    } else {
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (isForbiddenKey(key)) continue;
        if (!copyChild(key, (source as Record<string, unknown>)[key])) return new InputTooDeep(maxDepth);
      }
    }
  }
  return root;
}
