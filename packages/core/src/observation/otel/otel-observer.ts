import { context, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { OrkaEvent } from '../../types/events.js';
import type { Observer } from '../../types/events.js';

/** Options of {@link createOtelObserver}. */
export interface OtelObserverOptions {
  /** The tracer to make spans with; by default the global provider's tracer named `@orka/core`. */
  tracer?: Tracer;
}

interface RunSpans {
  span: Span;
  ctx: Context;
  /** Open step spans by step name, in the order they started. */
  steps: Map<string, Span>;
  attempts: Map<string, number>;
}

/** Span attribute names, stable across releases. */
export const OrkaSpanAttributes = {
  pipeline: 'orka.pipeline',
  step: 'orka.step',
  runId: 'orka.run_id',
  parentRunId: 'orka.parent_run_id',
  attempt: 'orka.attempt',
  outcome: 'orka.outcome',
  branch: 'orka.branch',
} as const;

/**
 * An observer that turns a run's events into OpenTelemetry spans: one span per run (`orka.run
 * <pipeline>`), one per step (`orka.step <step>`) under it, and one per compensation. A sub-run's
 * span sits under the span of the parent step that started it (the most recently started step of
 * the parent run still open). Attributes: pipeline, step, run id, attempt, outcome; a failure
 * records the exception and sets the span's status to error. Attach it globally with
 * `addObserver(createOtelObserver())` or per run with `{ observer }`.
 */
export function createOtelObserver(options: OtelObserverOptions = {}): Observer {
  const tracer = options.tracer ?? trace.getTracer('@orka/core');
  const runs = new Map<string, RunSpans>();

  const parentContext = (parentRunId: string | undefined): Context => {
    const parent = parentRunId === undefined ? undefined : runs.get(parentRunId);
    if (!parent) return context.active();
    const steps = [...parent.steps.values()];
    const step = steps[steps.length - 1];
    return step ? trace.setSpan(parent.ctx, step) : parent.ctx;
  };

  /** A span under the run's span, for a step or a compensation. */
  const childSpan = (run: RunSpans, name: string, event: OrkaEvent & { step: string }): Span =>
    tracer.startSpan(
      name,
      {
        startTime: event.at,
        attributes: {
          [OrkaSpanAttributes.pipeline]: event.pipeline,
          [OrkaSpanAttributes.step]: event.step,
          [OrkaSpanAttributes.runId]: event.runId,
        },
      },
      run.ctx,
    );

  return (event: OrkaEvent) => {
    const run = runs.get(event.runId);
    switch (event.type) {
      case 'run.started': {
        const span = tracer.startSpan(
          `orka.run ${event.pipeline}`,
          {
            startTime: event.at,
            attributes: {
              [OrkaSpanAttributes.pipeline]: event.pipeline,
              [OrkaSpanAttributes.runId]: event.runId,
              ...(event.parentRunId !== undefined && { [OrkaSpanAttributes.parentRunId]: event.parentRunId }),
            },
          },
          parentContext(event.parentRunId),
        );
        runs.set(event.runId, {
          span,
          ctx: trace.setSpan(parentContext(event.parentRunId), span),
          steps: new Map(),
          attempts: new Map(),
        });
        return;
      }
      case 'run.finished': {
        if (!run) return;
        run.span.setAttribute(OrkaSpanAttributes.outcome, event.outcome);
        if (event.outcome === 'failed') fail(run.span, event.error);
        for (const open of run.steps.values()) open.end(event.at);
        run.span.end(event.at);
        runs.delete(event.runId);
        return;
      }
      case 'step.started': {
        if (!run) return;
        run.attempts.set(event.step, 1);
        run.steps.set(event.step, childSpan(run, `orka.step ${event.step}`, event));
        return;
      }
      case 'step.retry': {
        const span = run?.steps.get(event.step);
        run?.attempts.set(event.step, event.attempt + 1);
        span?.addEvent(
          'orka.retry',
          { [OrkaSpanAttributes.attempt]: event.attempt, 'orka.delay_ms': event.delayMs },
          event.at,
        );
        return;
      }
      case 'branch.matched':
        run?.steps.get(event.step)?.setAttribute(OrkaSpanAttributes.branch, String(event.branch));
        return;
      case 'step.completed':
      case 'step.stopped':
      case 'step.failed': {
        const span = run?.steps.get(event.step);
        if (!run || !span) return;
        const outcome =
          event.type === 'step.completed'
            ? 'completed'
            : event.type === 'step.stopped'
              ? 'stopped'
              : 'failed';
        span.setAttribute(OrkaSpanAttributes.outcome, outcome);
        span.setAttribute(OrkaSpanAttributes.attempt, run.attempts.get(event.step) ?? 1);
        if (event.type === 'step.failed') fail(span, event.error);
        span.end(event.at);
        run.steps.delete(event.step);
        return;
      }
      case 'step.skipped':
        run?.span.addEvent(
          'orka.step.skipped',
          { [OrkaSpanAttributes.step]: event.step, 'orka.reason': event.reason },
          event.at,
        );
        return;
      case 'compensation.started':
        if (!run) return;
        run.steps.set(`compensate:${event.step}`, childSpan(run, `orka.compensate ${event.step}`, event));
        return;
      case 'compensation.completed':
      case 'compensation.failed': {
        const span = run?.steps.get(`compensate:${event.step}`);
        if (!run || !span) return;
        if (event.type === 'compensation.failed') fail(span, event.error);
        span.end(event.at);
        run.steps.delete(`compensate:${event.step}`);
        return;
      }
      default:
        run?.span.addEvent(
          `orka.${event.type}`,
          event.step === undefined ? {} : { [OrkaSpanAttributes.step]: event.step },
          event.at,
        );
    }
  };
}

function fail(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
}
