import { globalObservers, notify } from '../../observation/observers.js';
import type { Claim } from '../../stores/run-store.js';
import type { Observer, OrkaEvent } from '../../types/events.js';

/** The events of a run taken up (D8): resumed after its wait, or recovered from an owner that went away. */
export function announce(
  claim: Claim,
  by: string,
  own: Observer | undefined,
  runnerObservers: readonly Observer[],
): void {
  const { was, loaded } = claim;
  const base = { runId: loaded.run.runId, pipeline: loaded.run.pipeline, at: Date.now() };
  let event: OrkaEvent | undefined;
  if (was.status === 'waiting') {
    const after = loaded.run.cancelRequested !== undefined ? 'cancel' : waitEnd(claim);
    event = { ...base, type: 'run.resumed', after, by };
  } else if (was.owner !== undefined && was.owner !== by) {
    event = { ...base, type: 'run.recovered', from: was.owner, by };
  } else if (was.owner !== undefined) {
    event = { ...base, type: 'run.resumed', after: 'restart', by };
  }
  if (event === undefined) return;
  const observers = own === undefined ? runnerObservers : [own, ...runnerObservers];
  for (const observer of [...observers, ...globalObservers()]) notify(observer, event);
}

/** What ended a wait: its signal, its time, or its timeout. */
function waitEnd(claim: Claim): 'signal' | 'time' | 'timeout' {
  const wait = claim.was.wait;
  if (wait?.kind === 'sleep') return 'time';
  const arrived = claim.loaded.signals.some((s) => s.name === wait?.signal && s.consumedBy === undefined);
  return arrived ? 'signal' : 'timeout';
}
