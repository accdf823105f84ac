import { describe, expect, it } from '@jest/globals';
import { CompensationError, OrkaError, Pipeline, Stop, runFailure } from '../src/index.js';
import type { RunOutcome, StepRecord, StepRun } from '../src/index.js';
import { recorder, rejectionOf, sleep } from './helpers.js';
import type { Ev } from './helpers.js';

interface Ctx {
  log: string[];
}

/**
 * A pipeline over `steps` where every step logs itself and has a compensation that logs `undo:<step>`;
 * `failAt` throws `boom` instead of logging.
 */
function saga(name: string, steps: string[], failAt?: string) {
  const p = new Pipeline<Ctx>(name, steps);
  const boom = new Error(`${failAt ?? 'nothing'} failed`);
  for (const s of steps) {
    p.onStep(s, (ctx) => {
      if (s === failAt) throw boom;
      ctx.log.push(s);
    });
    p.compensate(s, (ctx) => {
      ctx.log.push(`undo:${s}`);
    });
  }
  return { p, boom };
}

const statuses = (records: StepRecord[]) => records.map((r) => [r.step, r.status]);
const compensationEvents = (events: Ev[]) =>
  events.filter((e) => e.type.startsWith('compensation.')).map((e) => `${e.type}:${e.step}`);

describe('R3 compensation', () => {
  it('R3 when the run fails, the compensations of the completed steps run in reverse order; the failed and unreached steps get none', async () => {
    const { p, boom } = saga('order', ['reserve', 'charge', 'ship', 'notify'], 'ship');
    const ctx: Ctx = { log: [] };

    const err = await rejectionOf(p.run(ctx));

    expect(err).toBe(boom);
    expect(ctx.log).toEqual(['reserve', 'charge', 'undo:charge', 'undo:reserve']);
  });

  it('R3 the records say which compensations ran: compensated for those, failed for the failing step, none for unreached steps', async () => {
    const p = new Pipeline<Ctx>('records', ['reserve', 'log_only', 'charge', 'ship', 'notify']);
    const boom = new Error('ship failed');
    p.onStep('reserve', () => {});
    p.onStep('log_only', () => {}); // no compensation declared
    p.onStep('charge', () => {});
    p.onStep('ship', () => {
      throw boom;
    });
    p.onStep('notify', () => {});
    p.compensate('reserve', () => {});
    p.compensate('charge', () => {});
    p.compensate('ship', () => {});
    p.compensate('notify', () => {});

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBe(boom);
    expect(statuses(runFailure(err)!.steps)).toEqual([
      ['reserve', 'compensated'],
      ['log_only', 'completed'],
      ['charge', 'compensated'],
      ['ship', 'failed'],
    ]);
  });

  it('R3 skipped steps are not compensated', async () => {
    const p = new Pipeline<Ctx>('skipped', ['a', 'b', 'c', 'd']);
    const undone: string[] = [];
    for (const s of ['a', 'b', 'c']) {
      p.onStep(s, () => {});
      p.compensate(s, () => {
        undone.push(s);
      });
    }
    p.skipIf('b', () => true, 'not needed');
    p.onStep('d', () => {
      throw new Error('d failed');
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(undone).toEqual(['c', 'a']);
    expect(statuses(runFailure(err)!.steps)).toEqual([
      ['a', 'compensated'],
      ['b', 'skipped'],
      ['c', 'compensated'],
      ['d', 'failed'],
    ]);
  });

  it('R3 a compensation gets the run context and a StepRun for its step', async () => {
    const p = new Pipeline<Ctx & { id?: string }>('args', ['create', 'fail']);
    const seen: { ctx: unknown; run: StepRun }[] = [];
    p.onStep('create', (ctx) => {
      ctx.id = 'user-1';
    });
    p.onStep('fail', () => {
      throw new Error('fail');
    });
    p.compensate('create', (ctx, run) => {
      seen.push({ ctx, run });
    });
    const ctx = { log: [] };

    await rejectionOf(p.run(ctx, { runId: 'comp-args' }));

    expect(seen).toHaveLength(1);
    expect(seen[0]!.ctx).toBe(ctx);
    expect(seen[0]!.ctx).toMatchObject({ id: 'user-1' });
    expect(seen[0]!.run).toMatchObject({ step: 'create', runId: 'comp-args', pipeline: 'args' });
  });

  it('R3 async compensations run one at a time', async () => {
    const p = new Pipeline<Ctx>('async', ['a', 'b', 'c']);
    const log: string[] = [];
    p.onStep('a', () => {});
    p.onStep('b', () => {});
    p.onStep('c', () => {
      throw new Error('c failed');
    });
    p.compensate('a', async () => {
      log.push('a:start');
      await sleep(1);
      log.push('a:end');
    });
    p.compensate('b', async () => {
      log.push('b:start');
      await sleep(3);
      log.push('b:end');
    });

    await rejectionOf(p.run({ log: [] }));

    expect(log).toEqual(['b:start', 'b:end', 'a:start', 'a:end']);
  });

  it('R3 when every compensation succeeds, the run rejects with the original error unchanged and runFailure names the failing step', async () => {
    class PaymentDeclined extends Error {}
    const p = new Pipeline<Ctx>('unchanged', ['reserve', 'charge']);
    const declined = new PaymentDeclined('card declined');
    p.onStep('reserve', () => {});
    p.onStep('charge', () => {
      throw declined;
    });
    p.compensate('reserve', () => {});

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'saga-1' }));

    expect(err).toBe(declined);
    expect(err).toBeInstanceOf(PaymentDeclined);
    expect(runFailure(err)).toMatchObject({ pipeline: 'unchanged', step: 'charge', runId: 'saga-1' });
  });

  it('R3 a compensation that throws is reported: CompensationError holds the original error and the compensation errors in the order they ran', async () => {
    const p = new Pipeline<Ctx>('broken-undo', ['a', 'b', 'c', 'd']);
    const boom = new Error('d failed');
    const cUndoError = new Error('undo c failed');
    const aUndoError = new Error('undo a failed');
    const ran: string[] = [];
    for (const s of ['a', 'b', 'c']) p.onStep(s, () => {});
    p.onStep('d', () => {
      throw boom;
    });
    p.compensate('a', () => {
      ran.push('a');
      throw aUndoError;
    });
    p.compensate('b', () => {
      ran.push('b');
    });
    p.compensate('c', async () => {
      ran.push('c');
      throw cUndoError;
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBeInstanceOf(CompensationError);
    expect(err).toBeInstanceOf(OrkaError);
    const ce = err as CompensationError;
    expect(ce.code).toBe('COMPENSATION_FAILED');
    expect(ce.original).toBe(boom);
    expect(ce.compensationErrors).toEqual([cUndoError, aUndoError]);
    expect(ce.compensationErrors[0]).toBe(cUndoError);
    expect(ce.compensationErrors[1]).toBe(aUndoError);
    // After one compensation throws, the others still run.
    expect(ran).toEqual(['c', 'b', 'a']);
  });

  it('R3 a step whose compensation threw keeps completed and gets compensationError; the others are compensated', async () => {
    const p = new Pipeline<Ctx>('statuses', ['a', 'b', 'c']);
    const undoError = new Error('undo b failed');
    p.onStep('a', () => {});
    p.onStep('b', () => {});
    p.onStep('c', () => {
      throw new Error('c failed');
    });
    p.compensate('a', () => {});
    p.compensate('b', () => {
      throw undoError;
    });

    const err = await rejectionOf(p.run({ log: [] }));

    const records = runFailure(err)!.steps;
    expect(statuses(records)).toEqual([
      ['a', 'compensated'],
      ['b', 'completed'],
      ['c', 'failed'],
    ]);
    expect(records[1]!.compensationError).toBe(undoError);
    expect(records[0]!.compensationError).toBeUndefined();
  });

  it('R3 runFailure on a CompensationError names the step that failed first, with the run and its records', async () => {
    const p = new Pipeline<Ctx>('failure-of-compensation', ['create', 'provision', 'mail']);
    p.onStep('create', () => {});
    p.onStep('provision', () => {
      throw new Error('provision failed');
    });
    p.onStep('mail', () => {});
    p.compensate('create', () => {
      throw new Error('cannot delete user');
    });

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'run-ce' }));

    expect(err).toBeInstanceOf(CompensationError);
    expect(runFailure(err)).toMatchObject({
      pipeline: 'failure-of-compensation',
      step: 'provision',
      runId: 'run-ce',
      rootRunId: 'run-ce',
    });
    expect(statuses(runFailure(err)!.steps)).toEqual([
      ['create', 'completed'],
      ['provision', 'failed'],
    ]);
  });

  it('R3 compensation events come once per step, carry the step, and say how each ended', async () => {
    const p = new Pipeline<Ctx>('events', ['a', 'b', 'c', 'd']);
    const undoError = new Error('undo b failed');
    for (const s of ['a', 'b', 'c']) p.onStep(s, () => {});
    p.onStep('d', () => {
      throw new Error('d failed');
    });
    p.compensate('a', () => {});
    p.compensate('b', () => {
      throw undoError;
    });
    // c has no compensation: no events for it.
    p.compensate('d', () => {}); // d failed: no events for it either
    const rec = recorder();

    await rejectionOf(p.run({ log: [] }, { observer: rec.observer, runId: 'ev-run' }));

    expect(compensationEvents(rec.events)).toEqual([
      'compensation.started:b',
      'compensation.failed:b',
      'compensation.started:a',
      'compensation.completed:a',
    ]);
    const failed = rec.events.find((e) => e.type === 'compensation.failed')!;
    expect(failed).toMatchObject({ step: 'b', runId: 'ev-run', pipeline: 'events' });
    expect(failed.error).toBe(undoError);
    // The compensations come after the failure and before the end of the run.
    const types = rec.events.map((e) => e.type);
    expect(types.indexOf('step.failed')).toBeLessThan(types.indexOf('compensation.started'));
    expect(types.lastIndexOf('compensation.completed')).toBeLessThan(types.indexOf('run.finished'));
  });

  it('R3 finishers run after the compensations', async () => {
    const { p } = saga('finish-after', ['a', 'b', 'c'], 'c');
    p.onFinish((ctx) => {
      ctx.log.push('finish');
    });
    const ctx: Ctx = { log: [] };

    await rejectionOf(p.run(ctx));

    expect(ctx.log).toEqual(['a', 'b', 'undo:b', 'undo:a', 'finish']);
  });

  it('R3 a step that needed retries is compensated once', async () => {
    const p = new Pipeline<Ctx>('retried', ['a', 'b']);
    const undone: string[] = [];
    p.onStep('a', (_ctx, run) => {
      if (run.attempt < 3) throw new Error('flaky');
    });
    p.onStep('b', () => {
      throw new Error('b failed');
    });
    p.stepOptions('a', { retry: { attempts: 3 } });
    p.compensate('a', () => {
      undone.push('a');
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(undone).toEqual(['a']);
    expect(runFailure(err)!.steps[0]).toMatchObject({ step: 'a', status: 'compensated', attempts: 3 });
  });

  it("R3 a failing sub-run undoes its own completed steps, then the parent's", async () => {
    const sub = new Pipeline<Ctx>('sub', ['x', 'y']);
    sub.onStep('x', (ctx) => {
      ctx.log.push('x');
    });
    sub.onStep('y', () => {
      throw new Error('y failed');
    });
    sub.compensate('x', (ctx) => {
      ctx.log.push('undo:x');
    });
    const parent = new Pipeline<Ctx>('parent', ['a', 'delegate']);
    parent.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    parent.onStep('delegate', (ctx, run) => run.subPipeline(sub, ctx));
    parent.compensate('a', (ctx) => {
      ctx.log.push('undo:a');
    });
    parent.compensate('delegate', (ctx) => {
      ctx.log.push('undo:delegate');
    });
    const ctx: Ctx = { log: [] };

    await rejectionOf(parent.run(ctx));

    expect(ctx.log).toEqual(['a', 'x', 'undo:x', 'undo:a']);
  });
});

describe('R3 when compensations do not run', () => {
  it('R3 a successful run runs no compensation', async () => {
    const { p } = saga('ok', ['a', 'b']);
    const rec = recorder();

    const result = await p.run({ log: [] }, { observer: rec.observer });

    expect(result.context.log).toEqual(['a', 'b']);
    expect(statuses(result.steps)).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
    ]);
    expect(compensationEvents(rec.events)).toEqual([]);
  });

  it('R3 a stopped run runs no compensation', async () => {
    const p = new Pipeline<Ctx>('stopped', ['a', 'b', 'c']);
    const undone: string[] = [];
    p.onStep('a', () => {});
    p.onStep('b', () => Stop);
    p.onStep('c', () => {});
    for (const s of ['a', 'b', 'c'])
      p.compensate(s, () => {
        undone.push(s);
      });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(undone).toEqual([]);
    expect(statuses(result.steps)).toEqual([
      ['a', 'completed'],
      ['b', 'stopped'],
    ]);
  });

  it('R3 a cancelled run runs no compensation by default', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('cancel-default', ['a', 'b', 'c']);
    const undone: string[] = [];
    p.onStep('a', () => {});
    p.onStep('b', () => {
      controller.abort();
    });
    p.onStep('c', () => {});
    for (const s of ['a', 'b', 'c'])
      p.compensate(s, () => {
        undone.push(s);
      });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(undone).toEqual([]);
  });
});

describe('R3 compensateOnCancel', () => {
  it('R3 with compensateOnCancel a cancelled run undoes its completed steps in reverse order and still ends cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const p = new Pipeline<Ctx>('cancel-undo', ['a', 'b', 'c'], { compensateOnCancel: true });
    const undone: string[] = [];
    const outcomes: RunOutcome[] = [];
    p.onStep('a', () => {});
    p.onStep('b', () => {
      controller.abort(reason);
    });
    p.onStep('c', () => {});
    for (const s of ['a', 'b', 'c'])
      p.compensate(s, () => {
        undone.push(s);
      });
    p.onFinish((_ctx, o) => {
      outcomes.push(o);
    });
    const rec = recorder();

    const result = await p.run({ log: [] }, { signal: controller.signal, observer: rec.observer });

    expect(result.outcome).toBe('cancelled');
    expect(undone).toEqual(['b', 'a']);
    expect(statuses(result.steps)).toEqual([
      ['a', 'compensated'],
      ['b', 'compensated'],
    ]);
    expect(compensationEvents(rec.events)).toEqual([
      'compensation.started:b',
      'compensation.completed:b',
      'compensation.started:a',
      'compensation.completed:a',
    ]);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'cancelled', error: reason })]);
  });

  it('R3 with compensateOnCancel, a compensation that throws is not swallowed: the run rejects with CompensationError', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const undoError = new Error('undo a failed');
    const p = new Pipeline<Ctx>('cancel-undo-fails', ['a', 'b'], { compensateOnCancel: true });
    p.onStep('a', () => {
      controller.abort(reason);
    });
    p.onStep('b', () => {});
    p.compensate('a', () => {
      throw undoError;
    });

    const err = await rejectionOf(p.run({ log: [] }, { signal: controller.signal }));

    expect(err).toBeInstanceOf(CompensationError);
    expect((err as CompensationError).compensationErrors).toEqual([undoError]);
    expect((err as CompensationError).original).toBe(reason);
  });

  it('R3 compensateOnCancel changes nothing for a run that completes or stops', async () => {
    const p = new Pipeline<Ctx & { stop?: boolean }>('cancel-option-idle', ['a', 'b'], {
      compensateOnCancel: true,
    });
    const undone: string[] = [];
    p.onStep('a', () => {});
    p.onStep('b', (ctx) => (ctx.stop ? Stop : undefined));
    p.compensate('a', () => {
      undone.push('a');
    });

    expect((await p.run({ log: [] })).outcome).toBe('completed');
    expect((await p.run({ log: [], stop: true })).outcome).toBe('stopped');
    expect(undone).toEqual([]);
  });
});
