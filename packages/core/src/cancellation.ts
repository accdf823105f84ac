/**
 * Whether `err` is how a handler reports that `signal` aborted it: the signal's own reason, or an
 * `AbortError` (K10). Any other error fails the run even while the signal is aborted.
 */
export function isAbortOf(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal === undefined || !signal.aborted) return false;
  if (err === signal.reason) return true;
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}
