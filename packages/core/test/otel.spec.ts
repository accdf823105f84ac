import { describe, expect, it } from '@jest/globals';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pipeline } from '../src/index.js';
import { createOtelObserver, OrkaSpanAttributes as A } from '../src/observation/otel/index.js';

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, observer: createOtelObserver({ tracer: provider.getTracer('test') }) };
}

interface Ctx {
  plan: 'basic' | 'premium';
  userId?: string;
}

function onboarding(): Pipeline<Ctx> {
  const premium = new Pipeline<{ userId: string }>('premium_provisioning', ['create_workspace']);
  premium.onStep('create_workspace', () => {});
  const p = new Pipeline<Ctx>('onboarding', ['create_user', 'provision', 'welcome']);
  p.onStep('create_user', (ctx) => {
    ctx.userId = 'u1';
  });
  p.conditionalStep('provision')
    .ifCondition((ctx) => ctx.plan === 'premium')
    .runSubPipeline(premium, (ctx) => ({ userId: ctx.userId! }))
    .finalize();
  p.onStep('welcome', (_ctx, run) => {
    if (run.attempt < 2) throw new Error('mail server busy');
  });
  p.stepOptions('welcome', { retry: { attempts: 2, delayMs: 0 } });
  return p;
}

describe('R5 observability: @orka/core/otel', () => {
  it('R5 otel makes a span per run and per step, with pipeline, step, runId, attempt and outcome', async () => {
    const { exporter, observer } = tracing();
    const result = await onboarding().run({ plan: 'basic' }, { observer });

    const spans = exporter.getFinishedSpans();
    const run = spans.find((s) => s.name === 'orka.run onboarding')!;
    expect(run.attributes[A.runId]).toBe(result.runId);
    expect(run.attributes[A.outcome]).toBe('completed');
    const steps = spans.filter((s) => s.name.startsWith('orka.step '));
    expect(steps.map((s) => s.attributes[A.step])).toEqual(['create_user', 'provision', 'welcome']);
    for (const s of steps) {
      expect(s.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
      expect(s.attributes[A.pipeline]).toBe('onboarding');
      expect(s.attributes[A.runId]).toBe(result.runId);
      expect(s.attributes[A.outcome]).toBe('completed');
    }
    expect(steps.find((s) => s.attributes[A.step] === 'welcome')!.attributes[A.attempt]).toBe(2);
  });

  it('R5 otel puts a sub-run span under the span of the step that started it', async () => {
    const { exporter, observer } = tracing();
    await onboarding().run({ plan: 'premium' }, { observer });

    const spans = exporter.getFinishedSpans();
    const provision = spans.find((s) => s.name === 'orka.step provision')!;
    const sub = spans.find((s) => s.name === 'orka.run premium_provisioning')!;
    expect(sub.parentSpanContext?.spanId).toBe(provision.spanContext().spanId);
    expect(sub.spanContext().traceId).toBe(provision.spanContext().traceId);
    expect(provision.attributes[A.branch]).toBe('0');
  });

  it('R5 otel records a failure on the step and the run span with error status', async () => {
    const { exporter, observer } = tracing();
    const p = new Pipeline<object>('failing', ['boom']);
    p.onStep('boom', () => {
      throw new TypeError('bad input');
    });
    await expect(p.run({}, { observer })).rejects.toThrow('bad input');

    for (const name of ['orka.step boom', 'orka.run failing']) {
      const span = exporter.getFinishedSpans().find((s) => s.name === name)!;
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.status.message).toBe('TypeError: bad input');
      expect(span.attributes[A.outcome]).toBe('failed');
      expect(span.events.some((e) => e.name === 'exception')).toBe(true);
    }
  });

  it('R5 importing @orka/core never loads @opentelemetry/api', () => {
    // Walk the static import graph of the kernel's entry point: no module in it may name the API.
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      if (text.includes("'@opentelemetry/")) offenders.push(file);
      for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) visit(join(dirname(file), `${m[1]}.ts`));
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
    // The otel entry point is where the dependency lives.
    expect(readdirSync(join(src, 'observation', 'otel'))).toContain('otel-observer.ts');
  });
});
