import { randomUUID } from 'node:crypto';

/**
 * A new run id: a random UUID. Run ids reach clients (in error bodies) and may key records, so they
 * must not be guessable; Node's generator draws from a cached entropy pool, some 50 ns a call.
 */
export function newRunId(): string {
  return randomUUID();
}
