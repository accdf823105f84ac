import type { RetryPolicy } from '../../types/options.js';

/**
 * The wait before the retry that follows the failed attempt `attempt` (1-based), R1: `delayMs` for
 * `fixed`, `delayMs * 2^(attempt-1)` for `exponential`, capped at `maxDelayMs`, then with jitter a
 * uniformly random 50% to 100% of that.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.delayMs ?? 0;
  let delay = policy.backoff === 'exponential' ? base * 2 ** (attempt - 1) : base;
  if (policy.maxDelayMs !== undefined) delay = Math.min(delay, policy.maxDelayMs);
  if (policy.jitter ?? true) delay = delay * (0.5 + random() * 0.5);
  return delay;
}

/** Whether an error deserves another try under the policy. */
export function isRetryable(policy: RetryPolicy, err: unknown): boolean {
  if (policy.nonRetryable?.some((cls) => err instanceof cls)) return false;
  return policy.retryOn ? policy.retryOn(err) : true;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
