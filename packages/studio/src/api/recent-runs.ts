import type { OrkaEvent } from '@orka/nestjs';

/** A run the Studio saw through its events: what the list and a run's page show of in-memory runs (V6). */
export interface RecentRun {
  runId: string;
  pipeline: string;
  parentRunId?: string;
  status: 'running' | 'waiting' | 'completed' | 'stopped' | 'cancelled' | 'failed';
  startedAt: number;
  updatedAt: number;
  /** The step it is at (the last one that started). */
  step?: string;
  /** One entry per step that started, in order. */
  steps: {
    step: string;
    status: string;
    attempts: number;
    durationMs?: number;
    error?: string;
    branch?: unknown;
    reason?: string;
  }[];
  compensations: { step: string; status: string; error?: string }[];
}

/**
 * The last runs of the application, from their events, in a bounded buffer (V6): the runs that are not
 * durable leave no trace in a store, and the Studio shows them from here.
 */
export class RecentRuns {
  private readonly runs = new Map<string, RecentRun>();

  constructor(private readonly capacity: number) {}

  observe(event: OrkaEvent): void {
    const run = this.runFor(event);
    run.updatedAt = event.at;
    const step = event.step;
    switch (event.type) {
      case 'step.started':
        run.step = step;
        run.steps.push({ step: step!, status: 'running', attempts: 1 });
        break;
      case 'step.retry': {
        const s = this.stepOf(run, step);
        if (s) s.attempts = event.attempt + 1;
        break;
      }
      case 'step.completed':
      case 'step.failed':
      case 'step.stopped': {
        const s = this.stepOf(run, step);
        if (s) {
          s.status = event.type.slice('step.'.length);
          if ('durationMs' in event) s.durationMs = event.durationMs;
          if (event.type === 'step.failed') s.error = describe(event.error);
        }
        break;
      }
      case 'step.skipped':
        run.steps.push({ step: step!, status: 'skipped', attempts: 0, reason: event.reason });
        break;
      case 'branch.matched': {
        const s = this.stepOf(run, step);
        if (s) s.branch = event.branch;
        break;
      }
      case 'compensation.completed':
      case 'compensation.failed':
        run.compensations.push({
          step: step!,
          status: event.type === 'compensation.completed' ? 'compensated' : 'failed',
          ...(event.type === 'compensation.failed' && { error: describe(event.error) }),
        });
        break;
      case 'run.suspended':
        run.status = 'waiting';
        break;
      case 'run.resumed':
        run.status = 'running';
        break;
      case 'run.finished':
        run.status = event.outcome;
        break;
      default:
        break;
    }
  }

  get(runId: string): RecentRun | undefined {
    return this.runs.get(runId);
  }

  /** Newest first. */
  list(filter: { pipeline?: string; status?: string }): RecentRun[] {
    return [...this.runs.values()]
      .filter(
        (r) =>
          (filter.pipeline === undefined || r.pipeline === filter.pipeline) &&
          (filter.status === undefined || r.status === filter.status),
      )
      .reverse();
  }

  private runFor(event: OrkaEvent): RecentRun {
    let run = this.runs.get(event.runId);
    if (run === undefined) {
      run = {
        runId: event.runId,
        pipeline: event.pipeline,
        ...(event.parentRunId !== undefined && { parentRunId: event.parentRunId }),
        status: 'running',
        startedAt: event.at,
        updatedAt: event.at,
        steps: [],
        compensations: [],
      };
      this.runs.set(event.runId, run);
      if (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value!);
    }
    return run;
  }

  private stepOf(run: RecentRun, step: string | undefined) {
    for (let i = run.steps.length - 1; i >= 0; i--) if (run.steps[i]!.step === step) return run.steps[i];
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error as string);
}
