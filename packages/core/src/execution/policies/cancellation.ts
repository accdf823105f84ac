/**
 * Whether `err` is how a handler reports that `signal` aborted it: the signal's own reason, or an
 * `AbortError`, or an error caused by the signal's reason (K10). Any other error fails the run even while the signal is aborted.
 */
export function isAbortOf(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal === undefined || !signal.aborted) return false;
  if (err === signal.reason) return true;
  if (typeof err !== 'object' || err === null) return false;
  // An AbortError, or an Orka error that reports the cancellation as its cause (a cancelled fan-out).
  return (
    (err as { name?: unknown }).name === 'AbortError' || (err as { cause?: unknown }).cause === signal.reason
  );
}
