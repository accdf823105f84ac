import { FanOutPolicyError } from '../../errors/fan-out-policy-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { FanOutItemResult, FanOutOptions } from '../../types/fan-out.js';
import type { SubRunOrigin } from '../run-state.js';
import { startSubRun } from './sub-run.js';

/** Runs `sub` once per item under `parent` and applies the policy (K14). */
export async function runFanOut<S>(
  parent: SubRunOrigin,
  sub: unknown,
  items: readonly S[],
  options: FanOutOptions = {},
  /** Which of the step's fan-outs this is (1 for the first): items of different fan-outs get different keys. */
  call = 1,
): Promise<FanOutItemResult<S>[]> {
  const policy = options.policy ?? 'collectAll';
  const concurrency = options.concurrency ?? Math.max(1, items.length);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new InvalidArgumentError(
      parent.pipeline,
      'fanOut concurrency',
      `fanOut in step "${parent.step}" of pipeline "${parent.pipeline}": concurrency must be an integer of at least 1, got ${concurrency}.`,
    );
  }
  if (typeof policy === 'object' && !(Number.isInteger(policy.atLeast) && policy.atLeast >= 0)) {
    throw new InvalidArgumentError(
      parent.pipeline,
      'fanOut policy',
      `fanOut in step "${parent.step}" of pipeline "${parent.pipeline}": atLeast must be a non-negative integer, got ${policy.atLeast}.`,
    );
  }
  const signal = parent.abortSource();
  const results: FanOutItemResult<S>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  let halted = false;

  const worker = async (): Promise<void> => {
    while (!halted && next < items.length) {
      if (signal?.aborted) return;
      const i = next++;
      try {
        const label = (name: string) => `${name}${call === 1 ? '' : `#${call}`}[${i}]`;
        const result = await startSubRun(parent, sub, items[i] as S, label);
        results[i] = { status: result.outcome, result };
      } catch (error) {
        results[i] = { status: 'failed', error };
        if (policy === 'failFast') halted = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

  // A cancelled fan-out is never a success, whatever the policy. Its error carries the signal's reason
  // as `cause`, so that the run, if the handler lets it through, ends cancelled rather than failed (K10).
  if (signal?.aborted) {
    throw new FanOutPolicyError(parent.pipeline, parent.step, policy, results, signal.reason);
  }
  const completed = results.filter((r) => r.status === 'completed').length;
  const met =
    policy === 'collectAll'
      ? true
      : policy === 'failFast'
        ? !results.some((r) => r.status === 'failed')
        : policy === 'requireAll'
          ? completed === items.length
          : completed >= policy.atLeast;
  if (!met) throw new FanOutPolicyError(parent.pipeline, parent.step, policy, results);
  return results;
}
