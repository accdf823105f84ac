/** A failure worth another try (a timeout, a 503 of a dependency). */
export class TransientError extends Error {
  override name = 'TransientError';
}
