import { describe, expect, it } from '@jest/globals';
import { Pipeline, runFailure, StepTimeoutError } from '../src/index.js';
import { recorder } from './helpers.js';

interface Ctx {
  log: string[];
}

class MailDown extends Error {}

function pipeline(options: { sequential: boolean }) {
  const p = new Pipeline<Ctx>('notify', ['charge', 'mail', 'ship']);
  p.onStep('charge', (ctx) => {
    ctx.log.push('charge');
  });
  p.onStep('mail', (ctx, run) => {
    ctx.log.push(`mail#${run.attempt}`);
    throw new MailDown('smtp down');
  });
  p.onStep('ship', (ctx) => {
    ctx.log.push('ship');
  });
  p.stepOptions('mail', { continueOnError: true });
  // The same steps, scheduled by dependencies (R4): ship waits for mail by name.
  if (!options.sequential) p.stepOptions('ship', { after: ['mail'] });
  return p;
}

describe.each([
  ['sequential', true],
  ['by dependencies', false],
])('R6 continueOnError (%s)', (_label, sequential) => {
  it('R6 a failing step is recorded as failed and the run goes on to completion', async () => {
    const rec = recorder();
    const result = await pipeline({ sequential }).run({ log: [] }, { observer: rec.observer });
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['charge', 'mail#1', 'ship']);
    const mail = result.steps.find((s) => s.step === 'mail')!;
    expect(mail.status).toBe('failed');
    expect(mail.error).toBeInstanceOf(MailDown);
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['charge', 'completed'],
      ['mail', 'failed'],
      ['ship', 'completed'],
    ]);
    // The event says the run goes on; the run finishes completed.
    const failed = rec.events.find((e) => e.type === 'step.failed')!;
    expect(failed).toMatchObject({ step: 'mail', continued: true });
    expect(failed.error).toBeInstanceOf(MailDown);
    expect(rec.events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'completed' });
  });

  it('R6 combined with retry: every attempt runs, and after the last the run goes on', async () => {
    const p = pipeline({ sequential });
    p.stepOptions('mail', { retry: { attempts: 3, jitter: false } });
    const rec = recorder();
    const result = await p.run({ log: [] }, { observer: rec.observer });
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['charge', 'mail#1', 'mail#2', 'mail#3', 'ship']);
    expect(result.steps.find((s) => s.step === 'mail')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(rec.events.filter((e) => e.type === 'step.retry')).toHaveLength(2);
  });

  it('R6 a step without the option still fails the run', async () => {
    const p = pipeline({ sequential });
    p.stepOptions('mail', { continueOnError: false });
    const err = await p.run({ log: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailDown);
    expect(runFailure(err)?.step).toBe('mail');
  });

  it('R6 a continued failure is not compensated, and a later failure compensates the completed steps only', async () => {
    const p = pipeline({ sequential });
    const undone: string[] = [];
    p.compensate('charge', () => {
      undone.push('charge');
    });
    p.compensate('mail', () => {
      undone.push('mail');
    });
    p.onStep('ship', () => {
      throw new Error('no truck');
    });
    const err = await p.run({ log: [] }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('no truck');
    expect(undone).toEqual(['charge']);
  });
});

describe('R6 continueOnError does not swallow what ends the run', () => {
  it('R6 a timed-out attempt continues like any failure of the step', async () => {
    const p = new Pipeline<Ctx>('slow', ['wait', 'next']);
    p.onStep(
      'wait',
      (_ctx, run) =>
        new Promise((_, reject) => run.signal.addEventListener('abort', () => reject(run.signal.reason))),
    );
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });
    p.stepOptions('wait', { timeoutMs: 5, continueOnError: true });
    const result = await p.run({ log: [] });
    expect(result.outcome).toBe('completed');
    expect(result.steps[0]).toMatchObject({ step: 'wait', status: 'failed' });
    expect(result.steps[0]!.error).toBeInstanceOf(StepTimeoutError);
    expect(result.context.log).toEqual(['next']);
  });

  it('R6 a cancellation still ends the run cancelled', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('cancelled', ['work', 'next']);
    p.onStep('work', () => {
      controller.abort();
      throw controller.signal.reason;
    });
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });
    p.stepOptions('work', { continueOnError: true });
    const result = await p.run({ log: [] }, { signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual([]);
  });

  it('R6 describe() and the diagram show the option', () => {
    const p = pipeline({ sequential: true });
    expect(p.describe().steps[1]).toMatchObject({ name: 'mail', continueOnError: true });
    expect(p.describe().steps[0]).not.toHaveProperty('continueOnError');
    expect(p.toMermaid()).toContain('continues on error');
  });
});
