import { describe, it, expect } from '@jest/globals';
import { Pipeline, runFailure } from '../src/index.js';
import { recorder, rejectionOf, sleep, trail } from './helpers.js';

interface Ctx {
  log: string[];
}

class PaymentDeclined extends Error {
  constructor(readonly amount: number) {
    super(`declined: ${amount}`);
    this.name = 'PaymentDeclined';
  }
}

describe('K3 a thrown error aborts the run', () => {
  it('K3 run rejects with the very same error object, and instanceof still works', async () => {
    const boom = new PaymentDeclined(42);
    const p = new Pipeline<Ctx>('pay', ['a']);
    p.onStep('a', () => {
      throw boom;
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBe(boom);
    expect(err).toBeInstanceOf(PaymentDeclined);
    expect(err).toBeInstanceOf(Error);
    expect((err as PaymentDeclined).amount).toBe(42);
  });

  it('K3 an async handler that rejects aborts the run with that same error', async () => {
    const boom = new PaymentDeclined(7);
    const p = new Pipeline<Ctx>('pay-async', ['a', 'b']);
    p.onStep('a', async () => {
      await sleep(1);
      throw boom;
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });
    const ctx: Ctx = { log: [] };

    await expect(p.run(ctx)).rejects.toBe(boom);
    expect(ctx.log).toEqual([]);
  });

  it('K3 no later handler, phase or step runs after the error', async () => {
    const p = new Pipeline<Ctx>('abort', ['a', 'b', 'c']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', (c) => {
      c.log.push('a');
    });
    p.beforeStep('b', (c) => {
      c.log.push('b.before');
    });
    p.onStep('b', (c) => {
      c.log.push('b.on1');
      throw new Error('b failed');
    });
    p.onStep('b', (c) => {
      c.log.push('b.on2');
    });
    p.afterStep('b', (c) => {
      c.log.push('b.after');
    });
    p.onStep('c', (c) => {
      c.log.push('c');
    });

    await expect(p.run(ctx)).rejects.toThrow('b failed');
    expect(ctx.log).toEqual(['a', 'b.before', 'b.on1']);
  });

  it('K3 onFinish handlers still run after an error, and see status failed with the error', async () => {
    const boom = new Error('kaput');
    const p = new Pipeline<Ctx>('finish-after-error', ['a', 'b']);
    const outcomes: Array<{ status: string; error?: unknown; pipeline: string; runId: string }> = [];
    p.onStep('a', () => {
      throw boom;
    });
    p.onStep('b', () => {});
    p.onFinish((_ctx, outcome) => {
      outcomes.push(outcome);
    });

    await expect(p.run({ log: [] }, { runId: 'r-fail' })).rejects.toBe(boom);

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      error: boom,
      pipeline: 'finish-after-error',
      runId: 'r-fail',
    });
  });

  it('K3 runFailure(err) tells the pipeline, the step and the runId of the failure', async () => {
    const p = new Pipeline<Ctx>('where', ['ok', 'broken', 'never']);
    p.onStep('ok', () => {});
    p.onStep('broken', () => {
      throw new Error('x');
    });
    p.onStep('never', () => {});

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'run-where' }));

    expect(runFailure(err)).toMatchObject({
      pipeline: 'where',
      step: 'broken',
      runId: 'run-where',
      rootRunId: 'run-where',
    });
  });

  it('K3 runFailure(err) names the step also when the error was thrown by a before or after handler', async () => {
    const p = new Pipeline<Ctx>('phase-failure', ['a', 'b']);
    p.onStep('a', () => {});
    p.afterStep('a', () => {
      throw new Error('after a');
    });
    p.onStep('b', () => {});
    const err1 = await rejectionOf(p.run({ log: [] }));
    expect(runFailure(err1)?.step).toBe('a');

    const q = new Pipeline<Ctx>('phase-failure-2', ['a', 'b']);
    q.onStep('a', () => {});
    q.beforeStep('b', () => {
      throw new Error('before b');
    });
    q.onStep('b', () => {});
    const err2 = await rejectionOf(q.run({ log: [] }));
    expect(runFailure(err2)?.step).toBe('b');
  });

  it('K3 runFailure(err).steps are the records of the run, the failed step last with status failed and its error', async () => {
    const boom = new Error('nope');
    const p = new Pipeline<Ctx>('records-on-failure', ['a', 'b', 'c']);
    p.onStep('a', () => {});
    p.onStep('b', () => {
      throw boom;
    });
    p.onStep('c', () => {});

    const err = await rejectionOf(p.run({ log: [] }));
    const failure = runFailure(err);

    expect(failure).toBeDefined();
    expect(failure!.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'failed'],
    ]);
    expect(failure!.steps[1]).toMatchObject({ step: 'b', status: 'failed', error: boom });
  });

  it('K3 runFailure returns undefined for an error that did not escape a run', () => {
    expect(runFailure(new Error('plain'))).toBeUndefined();
    expect(runFailure('not even an error')).toBeUndefined();
    expect(runFailure(undefined)).toBeUndefined();
  });

  it('K3 the failing step emits step.failed with the error, and run.finished says failed with the error', async () => {
    const boom = new Error('bad');
    const p = new Pipeline<Ctx>('fail-events', ['a', 'b']);
    p.onStep('a', () => {
      throw boom;
    });
    p.onStep('b', () => {});
    const rec = recorder();

    await expect(p.run({ log: [] }, { observer: rec.observer })).rejects.toBe(boom);

    expect(trail(rec.events)).toEqual(['run.started', 'step.started:a', 'step.failed:a', 'run.finished']);
    expect(rec.events.find((e) => e.type === 'step.failed')?.error).toBe(boom);
    expect(rec.events.find((e) => e.type === 'run.finished')).toMatchObject({
      outcome: 'failed',
      error: boom,
    });
  });

  it('K3 a required step without handlers: run rejects before any step runs (validated first)', async () => {
    const p = new Pipeline<Ctx>('missing-handlers', ['a', 'b', 'c']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', (c) => {
      c.log.push('a');
    });
    p.onStep('c', (c) => {
      c.log.push('c');
    });

    const err = await rejectionOf(p.run(ctx));

    expect((err as { code?: string }).code).toBe('CONFIGURATION_ERROR');
    expect(String((err as Error).message)).toContain('b');
    expect(ctx.log).toEqual([]);
  });
});
