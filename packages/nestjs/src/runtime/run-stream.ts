import { combineObservers, type Observer, type OrkaEvent } from '@orka/core';
import { Observable } from 'rxjs';
import { RUN_STREAM_UNSUBSCRIBED } from '../orka.messages.js';

/** How a stream starts its run: with the observer that feeds the stream, and the signal it may cancel with. */
export type StreamedRun = (observer: Observer, signal: AbortSignal | undefined) => Promise<unknown>;

/**
 * The events of a run as an rxjs `Observable` (N3): completes after the last event, errors with the
 * run's error. Unsubscribing stops the events, not the run, unless `cancelOnUnsubscribe` is set.
 */
export function runStream(
  start: StreamedRun,
  options: { observer?: Observer; signal?: AbortSignal; cancelOnUnsubscribe?: boolean },
): Observable<OrkaEvent> {
  return new Observable<OrkaEvent>((subscriber) => {
    const observer: Observer = combineObservers(options.observer, (event) => subscriber.next(event))!;
    const cancel = options.cancelOnUnsubscribe ? new AbortController() : undefined;
    const signal =
      cancel && options.signal
        ? AbortSignal.any([options.signal, cancel.signal])
        : (cancel?.signal ?? options.signal);
    let settled = false;
    start(observer, signal).then(
      () => {
        settled = true;
        subscriber.complete();
      },
      (err: unknown) => {
        settled = true;
        subscriber.error(err);
      },
    );
    return () => {
      if (!settled) cancel?.abort(new DOMException(RUN_STREAM_UNSUBSCRIBED, 'AbortError'));
    };
  });
}
