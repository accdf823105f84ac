// Keys that could reach an object's prototype when class-transformer copies them onto an instance.
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A copy of untrusted input made only of plain objects, arrays and primitives, without the keys that
 * could touch a prototype (`__proto__`, `constructor`, `prototype`) at any depth. Class instances
 * (dates, for example) are kept as they are.
 */
export function sanitizeInput(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return undefined;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((v) => sanitizeInput(v, seen));
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key)) continue;
    copy[key] = sanitizeInput((value as Record<string, unknown>)[key], seen);
  }
  return copy;
}
