import type { PipelineRunner, RunResult, RunSnapshot } from '@orka/nestjs';
import { Deferred } from '../fakes/deferred.js';

/** How a durable run stands when its HTTP request answers: ended, or waiting (for a signal or a time). */
export type EndedOrWaiting<C> =
  { ended: true; result: RunResult<C> } | { ended: false; runId: string; snapshot: RunSnapshot };

/**
 * Starts a durable run and resolves when it has ended, or as soon as it waits (its `run.suspended`
 * event, or its snapshot for a run that an idempotency key found already waiting): a request must not
 * hang for a wait of hours. The run's outcome stays available on `runner.result(runId)`.
 */
export async function endedOrWaiting<C>(
  runner: PipelineRunner,
  start: (observe: { observer: (event: { type: string }) => void }) => Promise<{ runId: string }>,
): Promise<EndedOrWaiting<C>> {
  const suspended = new Deferred<'waiting'>();
  const { runId } = await start({
    observer: (event) => {
      if (event.type === 'run.suspended') suspended.resolve('waiting');
    },
  });
  const result = runner.result<C>(runId);
  const already = runner.get(runId).then((s) => (s?.status === 'waiting' ? ('waiting' as const) : never()));
  const first = await Promise.race([result, suspended.promise, already]);
  if (first !== 'waiting') return { ended: true, result: first };
  result.catch(() => undefined);
  return { ended: false, runId, snapshot: (await runner.get(runId))! };
}

/** A promise that never settles: the run was not waiting yet, so its events say when it does. */
function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}
