import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop } from '../src/index.js';
import type { RunOutcome } from '../src/index.js';
import { deferred, recorder, rejectionOf, trail } from './helpers.js';

interface Ctx {
  log: string[];
}

function logging(name: string, steps: string[]): Pipeline<Ctx> {
  const p = new Pipeline<Ctx>(name, steps);
  for (const s of steps)
    p.onStep(s, (ctx) => {
      ctx.log.push(s);
    });
  return p;
}

describe('K10 cancellation', () => {
  it('K10 a run whose signal is already aborted runs no step and ends cancelled; finishers still run', async () => {
    const controller = new AbortController();
    const reason = new Error('too late');
    controller.abort(reason);
    const p = logging('pre-aborted', ['a', 'b']);
    const outcomes: RunOutcome[] = [];
    p.onFinish((_ctx, outcome) => {
      outcomes.push(outcome);
    });
    const ctx: Ctx = { log: [] };

    const result = await p.run(ctx, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(ctx.log).toEqual([]);
    expect(result.steps).toEqual([]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'cancelled', error: reason });
  });

  it('K10 a run cancelled before its first step still emits run.started and run.finished (outcome cancelled)', async () => {
    const controller = new AbortController();
    controller.abort();
    const p = logging('pre-aborted-events', ['a']);
    const rec = recorder();

    await p.run({ log: [] }, { signal: controller.signal, observer: rec.observer });

    expect(trail(rec.events)).toEqual(['run.started', 'run.finished']);
    expect(rec.events[1]).toMatchObject({ type: 'run.finished', outcome: 'cancelled' });
    expect(typeof rec.events[1]!.durationMs).toBe('number');
  });

  it('K10 aborting inside step 1 means step 2 never starts; step 1 keeps its record, step 2 has none', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('mid-run', ['a', 'b', 'c']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
      controller.abort();
    });
    p.afterStep('a', (ctx) => {
      ctx.log.push('a.after');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual(['a', 'a.after']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([['a', 'completed']]);
  });

  it('K10 the signal is checked after the last step: aborting during it ends the run cancelled', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('last-step', ['a', 'z']);
    p.onStep('a', () => {});
    p.onStep('z', () => {
      controller.abort();
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
  });

  it('K10 the signal handed to handlers aborts when the run is aborted', async () => {
    const controller = new AbortController();
    const entered = deferred();
    const gate = deferred();
    const seen: Array<{ before: boolean; after: boolean; event: boolean }> = [];
    const p = new Pipeline<Ctx>('handed', ['wait', 'next']);
    p.onStep('wait', async (_ctx, run) => {
      let event = false;
      run.signal.addEventListener('abort', () => {
        event = true;
      });
      const before = run.signal.aborted;
      entered.resolve();
      await gate.promise;
      seen.push({ before, after: run.signal.aborted, event });
    });
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });

    const running = p.run({ log: [] }, { signal: controller.signal });
    await entered.promise;
    controller.abort();
    gate.resolve();
    const result = await running;

    expect(seen).toEqual([{ before: false, after: true, event: true }]);
    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual([]);
  });

  it("K10 a handler that rejects with the signal's reason after the abort ends the run cancelled, not failed", async () => {
    const controller = new AbortController();
    const reason = new Error('client disconnected');
    const p = new Pipeline<Ctx>('reject-with-reason', ['wait', 'next']);
    const outcomes: RunOutcome[] = [];
    p.onStep(
      'wait',
      (_ctx, run) =>
        new Promise<undefined>((_resolve, reject) => {
          run.signal.addEventListener('abort', () => reject(run.signal.reason));
          controller.abort(reason);
        }),
    );
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });
    p.onFinish((_ctx, outcome) => {
      outcomes.push(outcome);
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual([]);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'cancelled', error: reason })]);
  });

  it('K10 a handler that rejects with an AbortError after the abort ends the run cancelled', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('reject-with-aborterror', ['wait', 'next']);
    p.onStep('wait', async () => {
      controller.abort(new Error('some reason'));
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual([]);
  });

  it('K10 a handler error unrelated to the abort still fails the run', async () => {
    const controller = new AbortController();
    const unrelated = new RangeError('bad input');
    const p = new Pipeline<Ctx>('unrelated', ['a', 'b']);
    p.onStep('a', () => {
      controller.abort();
      throw unrelated;
    });
    p.onStep('b', () => {});

    const err = await rejectionOf(p.run({ log: [] }, { signal: controller.signal }));

    expect(err).toBe(unrelated);
  });

  it('K10 Stop returned while the signal is aborted reports cancelled', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('stop-while-aborted', ['a', 'b']);
    p.onStep('a', () => {
      controller.abort();
      return Stop;
    });
    p.onStep('b', () => {});

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
  });

  it('K10 the boundary check comes before the skip check: the next step is neither run nor skipped', async () => {
    const controller = new AbortController();
    const predicateCalls: string[] = [];
    const p = new Pipeline<Ctx>('before-skip', ['a', 'b']);
    p.onStep('a', () => {
      controller.abort();
    });
    p.onStep('b', () => {}).skipIf(
      'b',
      () => {
        predicateCalls.push('b');
        return true;
      },
      'never',
    );
    const rec = recorder();

    const result = await p.run({ log: [] }, { signal: controller.signal, observer: rec.observer });

    expect(result.outcome).toBe('cancelled');
    expect(predicateCalls).toEqual([]);
    expect(result.steps.map((r) => r.step)).toEqual(['a']);
    expect(trail(rec.events)).toEqual(['run.started', 'step.started:a', 'step.completed:a', 'run.finished']);
    expect(rec.events[3]).toMatchObject({ outcome: 'cancelled' });
  });

  it("K10 without a reason the outcome error is still the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort();
    const p = logging('default-reason', ['a']);
    const outcomes: RunOutcome[] = [];
    p.onFinish((_ctx, outcome) => {
      outcomes.push(outcome);
    });

    await p.run({ log: [] }, { signal: controller.signal });

    expect(outcomes[0]!.status).toBe('cancelled');
    expect(outcomes[0]!.error).toBe(controller.signal.reason);
  });

  it('K10 a run without a signal still hands each handler a signal that is not aborted', async () => {
    const seen: boolean[] = [];
    const p = new Pipeline<Ctx>('no-signal', ['a']);
    p.onStep('a', (_ctx, run) => {
      seen.push(run.signal instanceof AbortSignal && !run.signal.aborted);
    });

    await p.run({ log: [] });

    expect(seen).toEqual([true]);
  });
});
