import { randomUUID } from 'node:crypto';

// A run id is a UUID: a random one per process, whose last 12 hex digits count the runs. Unique
// across processes like a random UUID, for a fraction of the cost on a path that every run takes.
const base = randomUUID().slice(0, 24);
let counter = Math.floor(Math.random() * 0xffffffff);

/** A new run id, UUID-shaped and unique across processes. */
export function newRunId(): string {
  counter = (counter + 1) % 0x1000000000000;
  return base + counter.toString(16).padStart(12, '0');
}
