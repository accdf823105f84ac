/** A new run id: a random UUID (the Web Crypto API, present in Node 20 and browsers). */
export function newRunId(): string {
  return globalThis.crypto.randomUUID();
}
