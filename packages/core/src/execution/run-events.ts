import type { OrkaEvent } from '../types/events.js';

/** An event before the fields every event shares are filled in. */
export type EventPayload = OrkaEvent extends infer E
  ? E extends OrkaEvent
    ? Omit<E, 'runId' | 'parentRunId' | 'pipeline' | 'at'>
    : never
  : never;

/** The events every step emits: most of a run's events. */
export type StepEventType = 'step.started' | 'step.completed';

/**
 * A `step.started` or `step.completed` event built whole: one object with its fields in place, rather
 * than a literal that `RunState.emit` then grows (a second allocation for the added fields). The
 * fields come in the order `emit` gives every event; `parentRunId` only for a sub-run's.
 */
export function stepEvent(
  type: StepEventType,
  step: string,
  runId: string,
  parentRunId: string | undefined,
  pipeline: string,
  at: number,
  durationMs: number | undefined,
): OrkaEvent {
  if (type === 'step.started')
    return parentRunId === undefined
      ? { type, step, runId, pipeline, at }
      : { type, step, runId, parentRunId, pipeline, at };
  return parentRunId === undefined
    ? { type, step, durationMs: durationMs!, runId, pipeline, at }
    : { type, step, durationMs: durationMs!, runId, parentRunId, pipeline, at };
}
