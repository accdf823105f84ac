import type { BranchId, RunOutcome } from './records.js';

/** Fields every event has (K13). */
export interface OrkaEventBase {
  /** The run the event belongs to. */
  runId: string;
  /** The run that started this run as a sub-run, if any. */
  parentRunId?: string;
  /** The pipeline's name. */
  pipeline: string;
  /** The step, for step, branch, retry and compensation events. */
  step?: string;
  /** When the event happened, in epoch milliseconds. */
  at: number;
}

/** A run began. */
export interface RunStartedEvent extends OrkaEventBase {
  type: 'run.started';
}
/** A run ended, however it ended. */
export interface RunFinishedEvent extends OrkaEventBase {
  type: 'run.finished';
  outcome: RunOutcome['status'];
  durationMs: number;
  error?: unknown;
}
/** A step began (its first attempt). */
export interface StepStartedEvent extends OrkaEventBase {
  type: 'step.started';
  step: string;
}
/** A step's phases all ran and it let the run go on. */
export interface StepCompletedEvent extends OrkaEventBase {
  type: 'step.completed';
  step: string;
  durationMs: number;
}
/** A step was skipped; it emits no other event. */
export interface StepSkippedEvent extends OrkaEventBase {
  type: 'step.skipped';
  step: string;
  reason: string;
}
/** A step ended the run with `Stop`. */
export interface StepStoppedEvent extends OrkaEventBase {
  type: 'step.stopped';
  step: string;
}
/** A step threw. */
export interface StepFailedEvent extends OrkaEventBase {
  type: 'step.failed';
  step: string;
  error: unknown;
  /** True when the step has `continueOnError`: the run goes on with the next step. */
  continued?: true;
}
/** A step's attempt failed and it will be tried again after `delayMs` (R1). */
export interface StepRetryEvent extends OrkaEventBase {
  type: 'step.retry';
  step: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  delayMs: number;
  error: unknown;
}
/** A conditional step's branch matched. */
export interface BranchMatchedEvent extends OrkaEventBase {
  type: 'branch.matched';
  step: string;
  branch: BranchId;
}
/** No branch of a conditional step matched. */
export interface BranchNoneEvent extends OrkaEventBase {
  type: 'branch.none';
  step: string;
}
/** A step's compensation began (R3). */
export interface CompensationStartedEvent extends OrkaEventBase {
  type: 'compensation.started';
  step: string;
}
/** A step's compensation succeeded (R3). */
export interface CompensationCompletedEvent extends OrkaEventBase {
  type: 'compensation.completed';
  step: string;
}
/** A step's compensation threw (R3). */
export interface CompensationFailedEvent extends OrkaEventBase {
  type: 'compensation.failed';
  step: string;
  error: unknown;
}

/** What a suspended durable run waits for (D8, W1, W3). */
export interface WaitDescription {
  /** The waiting step. */
  step: string;
  /** The signal it waits for. */
  signal?: string;
  /** When its wait times out, or its sleep ends (epoch ms). */
  until?: number;
}

/** A durable run suspended: it holds no lease and no memory until it wakes (D8). */
export interface RunSuspendedEvent extends OrkaEventBase {
  type: 'run.suspended';
  step: string;
  wait: WaitDescription;
}
/** A durable run went on in this process after a wait, a release or a restart (D8). */
export interface RunResumedEvent extends OrkaEventBase {
  type: 'run.resumed';
  /** What woke it: its signal, its time, its wait's timeout, a cancellation, or a process taking it up. */
  after: 'signal' | 'time' | 'timeout' | 'cancel' | 'restart';
  /** The process that resumed it. */
  by: string;
}
/** A durable run was taken over from an owner whose lease expired (D4, D8). */
export interface RunRecoveredEvent extends OrkaEventBase {
  type: 'run.recovered';
  /** The owner whose lease expired. */
  from: string;
  /** The process that took it over. */
  by: string;
}

/** Every event a run emits (K13, D8). */
export type OrkaEvent =
  | RunStartedEvent
  | RunFinishedEvent
  | StepStartedEvent
  | StepCompletedEvent
  | StepSkippedEvent
  | StepStoppedEvent
  | StepFailedEvent
  | StepRetryEvent
  | BranchMatchedEvent
  | BranchNoneEvent
  | CompensationStartedEvent
  | CompensationCompletedEvent
  | CompensationFailedEvent
  | RunSuspendedEvent
  | RunResumedEvent
  | RunRecoveredEvent;

/** The `type` of every event. */
export type OrkaEventType = OrkaEvent['type'];

/** Receives every event of the runs it is attached to (K13). It must not throw; errors it throws are ignored. */
export type Observer = (event: OrkaEvent) => void;
