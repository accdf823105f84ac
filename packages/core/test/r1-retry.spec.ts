import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  OrkaConfigurationError,
  Pipeline,
  StepTimeoutError,
  TraceCollector,
  runFailure,
} from '../src/index.js';
import type { RetryPolicy, RunOutcome } from '../src/index.js';
import { recorder, rejectionOf, thrownBy, trail } from './helpers.js';
import type { Ev } from './helpers.js';

interface Ctx {
  log: string[];
}

/** Advances the fake clock, then lets the promise callbacks that the timers released run. */
async function tick(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Follows a promise without awaiting it, so a test can look at it while the fake clock moves. */
function watch<T>(p: Promise<T>): { done: boolean; ok: boolean; value?: T; error?: unknown } {
  const w: { done: boolean; ok: boolean; value?: T; error?: unknown } = { done: false, ok: false };
  p.then(
    (value) => Object.assign(w, { done: true, ok: true, value }),
    (error: unknown) => Object.assign(w, { done: true, ok: false, error }),
  );
  return w;
}

/** A one-step pipeline whose step fails its first `failures` attempts (each with a new error). */
function flaky(failures: number, retry: RetryPolicy, name = 'flaky') {
  const p = new Pipeline<Ctx>(name, ['work']);
  const attempts: number[] = [];
  const errors: Error[] = [];
  p.onStep('work', (ctx, run) => {
    attempts.push(run.attempt);
    ctx.log.push(`work#${run.attempt}`);
    if (attempts.length <= failures) {
      const err = new Error(`attempt ${run.attempt} failed`);
      errors.push(err);
      throw err;
    }
  });
  p.stepOptions('work', { retry });
  return { p, attempts, errors };
}

const retries = (events: Ev[]): Ev[] => events.filter((e) => e.type === 'step.retry');

class TransientError extends Error {}
class ValidationFailure extends Error {}
class StrictValidationFailure extends ValidationFailure {}

describe('R1 retry: attempts and what the handler, records and events see', () => {
  it('R1 attempts bounds every try: attempts 3 runs an always-failing step exactly 3 times', async () => {
    const { p, attempts } = flaky(Infinity, { attempts: 3 });

    await rejectionOf(p.run({ log: [] }));

    expect(attempts).toEqual([1, 2, 3]);
  });

  it('R1 attempts 1 means a single try, and a step without a retry policy is tried once', async () => {
    const one = flaky(Infinity, { attempts: 1 });
    await rejectionOf(one.p.run({ log: [] }));
    expect(one.attempts).toEqual([1]);

    const p = new Pipeline<Ctx>('no-policy', ['work']);
    let calls = 0;
    p.onStep('work', () => {
      calls++;
      throw new Error('once');
    });
    await rejectionOf(p.run({ log: [] }));
    expect(calls).toBe(1);
  });

  it('R1 the attempt number (1-based) reaches the handler as run.attempt, and a success ends the tries', async () => {
    const { p, attempts } = flaky(2, { attempts: 5 });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(attempts).toEqual([1, 2, 3]);
    expect(result.context.log).toEqual(['work#1', 'work#2', 'work#3']);
  });

  it('R1 every handler of every phase of a retried attempt sees the same attempt number', async () => {
    const p = new Pipeline<Ctx>('phases', ['work']);
    const seen: string[] = [];
    p.beforeStep('work', (_ctx, run) => {
      seen.push(`before#${run.attempt}`);
    });
    p.onStep('work', (_ctx, run) => {
      seen.push(`on#${run.attempt}`);
      if (run.attempt === 1) throw new Error('first try fails');
    });
    p.afterStep('work', (_ctx, run) => {
      seen.push(`after#${run.attempt}`);
    });
    p.stepOptions('work', { retry: { attempts: 2 } });

    await p.run({ log: [] });

    expect(seen.filter((s) => s.endsWith('#2'))).toEqual(['before#2', 'on#2', 'after#2']);
    expect(seen.filter((s) => s.endsWith('#1'))).not.toContain('after#1');
  });

  it('R1 a step without retry sees run.attempt 1', async () => {
    const p = new Pipeline<Ctx>('plain', ['a']);
    let attempt = 0;
    p.onStep('a', (_ctx, run) => {
      attempt = run.attempt;
    });

    await p.run({ log: [] });

    expect(attempt).toBe(1);
  });

  it('R1 the step record counts the attempts: completed after retries, failed after the last try', async () => {
    const ok = flaky(1, { attempts: 3 });
    const result = await ok.p.run({ log: [] });
    expect(result.steps).toEqual([
      expect.objectContaining({ step: 'work', status: 'completed', attempts: 2 }),
    ]);

    const bad = flaky(Infinity, { attempts: 3 });
    const err = await rejectionOf(bad.p.run({ log: [] }));
    expect(runFailure(err)?.steps).toEqual([
      expect.objectContaining({ step: 'work', status: 'failed', attempts: 3, error: err }),
    ]);
  });

  it('R1 a step that succeeds on its first try has attempts 1 in its record', async () => {
    const { p } = flaky(0, { attempts: 4 });

    const result = await p.run({ log: [] });

    expect(result.steps[0]).toMatchObject({ step: 'work', status: 'completed', attempts: 1 });
  });

  it('R1 each retry emits one step.retry with the failed attempt, the delay and the error; step.started and the end event come once', async () => {
    const { p, errors } = flaky(2, { attempts: 3, jitter: false });
    const rec = recorder();

    await p.run({ log: [] }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual([
      'run.started',
      'step.started:work',
      'step.retry:work',
      'step.retry:work',
      'step.completed:work',
      'run.finished',
    ]);
    const r = retries(rec.events);
    expect(r[0]).toMatchObject({
      type: 'step.retry',
      step: 'work',
      pipeline: 'flaky',
      attempt: 1,
      delayMs: 0,
    });
    expect(r[1]).toMatchObject({ type: 'step.retry', step: 'work', attempt: 2, delayMs: 0 });
    expect(r[0]!.error).toBe(errors[0]);
    expect(r[1]!.error).toBe(errors[1]);
  });

  it('R1 no step.retry follows the last attempt: a step that fails 3 of 3 tries emits 2 retries then one step.failed', async () => {
    const { p, errors } = flaky(Infinity, { attempts: 3, jitter: false });
    const collector = new TraceCollector();

    await rejectionOf(p.run({ log: [] }, { observer: collector.observer }));

    const types = collector.events.filter((e) => e.step === 'work').map((e) => e.type);
    expect(types).toEqual(['step.started', 'step.retry', 'step.retry', 'step.failed']);
    const failed = collector.events.find((e) => e.type === 'step.failed') as unknown as Ev;
    expect(failed.error).toBe(errors[2]);
  });

  it('R1 the last error surfaces unchanged: same instance, same class, and runFailure names the step', async () => {
    const p = new Pipeline<Ctx>('unchanged', ['prepare', 'work']);
    const thrown: TransientError[] = [];
    p.onStep('prepare', () => {});
    p.onStep('work', (_ctx, run) => {
      const err = new TransientError(`try ${run.attempt}`);
      thrown.push(err);
      throw err;
    });
    p.stepOptions('work', { retry: { attempts: 2 } });

    const err = await rejectionOf(p.run({ log: [] }, { runId: 'retry-run' }));

    expect(thrown).toHaveLength(2);
    expect(err).toBe(thrown[1]);
    expect(err).toBeInstanceOf(TransientError);
    expect(runFailure(err)).toMatchObject({ pipeline: 'unchanged', step: 'work', runId: 'retry-run' });
  });

  it('R1 finishers run once after all the tries, not once per attempt', async () => {
    const { p } = flaky(Infinity, { attempts: 3 });
    const outcomes: RunOutcome[] = [];
    p.onFinish((_ctx, o) => {
      outcomes.push(o);
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: err });
  });

  it('R1 a step retried beside other steps (after) gets its tries too, and the run goes on', async () => {
    const p = new Pipeline<Ctx>('graph-retry', ['a', 'b', 'c']);
    let bTries = 0;
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.onStep('b', (ctx, run) => {
      bTries++;
      ctx.log.push(`b#${run.attempt}`);
      if (run.attempt < 3) throw new Error('not yet');
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });
    p.stepOptions('b', { after: [], retry: { attempts: 3, jitter: false } });
    p.stepOptions('c', { after: ['a', 'b'] });
    const rec = recorder();

    const result = await p.run({ log: [] }, { observer: rec.observer });

    expect(result.outcome).toBe('completed');
    expect(bTries).toBe(3);
    expect(result.steps.find((r) => r.step === 'b')).toMatchObject({ status: 'completed', attempts: 3 });
    expect(result.context.log[result.context.log.length - 1]).toBe('c');
    expect(retries(rec.events).map((e) => [e.step, e.attempt])).toEqual([
      ['b', 1],
      ['b', 2],
    ]);
  });
});

describe('R1 retry: which errors are retried', () => {
  it('R1 retryOn receives the error; when it says false the step is not tried again and that error surfaces', async () => {
    const p = new Pipeline<Ctx>('retry-on', ['work']);
    const fatal = new Error('fatal');
    const transient = new TransientError('transient');
    const seenByRetryOn: unknown[] = [];
    let calls = 0;
    p.onStep('work', () => {
      calls++;
      throw calls === 1 ? transient : fatal;
    });
    p.stepOptions('work', {
      retry: {
        attempts: 5,
        retryOn: (err) => {
          seenByRetryOn.push(err);
          return err instanceof TransientError;
        },
      },
    });
    const rec = recorder();

    const err = await rejectionOf(p.run({ log: [] }, { observer: rec.observer }));

    expect(err).toBe(fatal);
    expect(calls).toBe(2);
    expect(seenByRetryOn).toEqual([transient, fatal]);
    expect(retries(rec.events)).toHaveLength(1);
    expect(runFailure(err)?.steps[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('R1 retryOn false on the first error means one try and no step.retry event', async () => {
    const p = new Pipeline<Ctx>('retry-on-never', ['work']);
    let calls = 0;
    p.onStep('work', () => {
      calls++;
      throw new Error('never again');
    });
    p.stepOptions('work', { retry: { attempts: 3, retryOn: () => false } });
    const rec = recorder();

    await rejectionOf(p.run({ log: [] }, { observer: rec.observer }));

    expect(calls).toBe(1);
    expect(retries(rec.events)).toEqual([]);
  });

  it('R1 nonRetryable error classes (and their subclasses) are never retried; other errors are', async () => {
    const p = new Pipeline<Ctx & { failWith: Error[] }>('non-retryable', ['work']);
    let calls = 0;
    p.onStep('work', (ctx) => {
      calls++;
      const next = ctx.failWith.shift();
      if (next) throw next;
    });
    p.stepOptions('work', { retry: { attempts: 5, nonRetryable: [ValidationFailure] } });

    calls = 0;
    const direct = new ValidationFailure('bad input');
    expect(await rejectionOf(p.run({ log: [], failWith: [direct] }))).toBe(direct);
    expect(calls).toBe(1);

    calls = 0;
    const sub = new StrictValidationFailure('worse input');
    expect(await rejectionOf(p.run({ log: [], failWith: [sub] }))).toBe(sub);
    expect(calls).toBe(1);

    calls = 0;
    const result = await p.run({ log: [], failWith: [new TransientError('1'), new TransientError('2')] });
    expect(result.outcome).toBe('completed');
    expect(calls).toBe(3);
  });

  it('R1 nonRetryable wins over a retryOn that would retry', async () => {
    const p = new Pipeline<Ctx>('non-retryable-first', ['work']);
    let calls = 0;
    p.onStep('work', () => {
      calls++;
      throw new ValidationFailure('no');
    });
    p.stepOptions('work', { retry: { attempts: 4, retryOn: () => true, nonRetryable: [ValidationFailure] } });

    await rejectionOf(p.run({ log: [] }));

    expect(calls).toBe(1);
  });

  it('R1 a handler that aborts the run and rejects with the abort is not retried: the run ends cancelled', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('abort-no-retry', ['work']);
    let calls = 0;
    p.onStep('work', (_ctx, run) => {
      calls++;
      controller.abort(new Error('user left'));
      throw run.signal.reason;
    });
    p.stepOptions('work', { retry: { attempts: 3 } });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(calls).toBe(1);
  });
});

describe('R1 retry: waits between tries (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("R1 backoff defaults to 'fixed': every wait is delayMs", async () => {
    const { p, attempts } = flaky(3, { attempts: 4, delayMs: 100, jitter: false });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(0);
    expect(attempts).toEqual([1]);
    await tick(99);
    expect(attempts).toEqual([1]);
    await tick(1);
    expect(attempts).toEqual([1, 2]);
    await tick(99);
    expect(attempts).toEqual([1, 2]);
    await tick(1);
    expect(attempts).toEqual([1, 2, 3]);
    await tick(100);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(w.done && w.ok).toBe(true);
    expect(retries(rec.events).map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
  });

  it('R1 exponential backoff waits delayMs * 2^(n-1) before the n-th retry', async () => {
    const { p, attempts } = flaky(4, { attempts: 5, backoff: 'exponential', delayMs: 100, jitter: false });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(0);
    expect(attempts).toHaveLength(1);
    await tick(99);
    expect(attempts).toHaveLength(1);
    await tick(1); // t = 100
    expect(attempts).toHaveLength(2);
    await tick(199);
    expect(attempts).toHaveLength(2);
    await tick(1); // t = 300
    expect(attempts).toHaveLength(3);
    await tick(399);
    expect(attempts).toHaveLength(3);
    await tick(1); // t = 700
    expect(attempts).toHaveLength(4);
    await tick(799);
    expect(attempts).toHaveLength(4);
    await tick(1); // t = 1500
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(w.ok).toBe(true);
    expect(retries(rec.events).map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
    ]);
  });

  it('R1 exponential backoff is capped at maxDelayMs', async () => {
    const { p, attempts } = flaky(4, {
      attempts: 5,
      backoff: 'exponential',
      delayMs: 100,
      maxDelayMs: 250,
      jitter: false,
    });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(100 + 200 + 249);
    expect(attempts).toHaveLength(3);
    await tick(1); // third retry after 250, not 400
    expect(attempts).toHaveLength(4);
    await tick(250);
    expect(attempts).toHaveLength(5);
    expect(w.ok).toBe(true);
    expect(retries(rec.events).map((e) => e.delayMs)).toEqual([100, 200, 250, 250]);
  });

  it('R1 maxDelayMs caps a fixed delay too', async () => {
    const { p } = flaky(1, { attempts: 2, delayMs: 1000, maxDelayMs: 300, jitter: false });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(299);
    expect(w.done).toBe(false);
    await tick(1);
    expect(w.ok).toBe(true);
    expect(retries(rec.events).map((e) => e.delayMs)).toEqual([300]);
  });

  it('R1 jitter is on by default: the wait is 50% to 100% of the computed delay, drawn from Math.random', async () => {
    const draws = [0, 0.5, 0.999];
    jest.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0);
    const { p, attempts } = flaky(3, { attempts: 4, delayMs: 200 });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(99);
    expect(attempts).toHaveLength(1);
    await tick(1); // 50% of 200
    expect(attempts).toHaveLength(2);
    await tick(149);
    expect(attempts).toHaveLength(2);
    await tick(1); // 75% of 200
    expect(attempts).toHaveLength(3);
    await tick(200);
    expect(attempts).toHaveLength(4);
    expect(w.ok).toBe(true);
    const delays = retries(rec.events).map((e) => e.delayMs as number);
    expect(delays[0]).toBe(100);
    expect(delays[1]).toBe(150);
    expect(delays[2]).toBeCloseTo(199.9, 5); // 200 * (0.5 + 0.999 * 0.5)
  });

  it('R1 jitter applies after the maxDelayMs cap', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const { p } = flaky(3, {
      attempts: 4,
      backoff: 'exponential',
      delayMs: 100,
      maxDelayMs: 150,
      jitter: true,
    });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(50 + 75 + 75);
    expect(w.ok).toBe(true);
    // computed 100, 200, 400 -> capped 100, 150, 150 -> halved by the draw 0
    expect(retries(rec.events).map((e) => e.delayMs)).toEqual([50, 75, 75]);
  });

  it('R1 jitter: false waits exactly the computed delay whatever Math.random says', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const { p } = flaky(1, { attempts: 2, delayMs: 80, jitter: false });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(79);
    expect(w.done).toBe(false);
    await tick(1);
    expect(w.ok).toBe(true);
    expect(retries(rec.events).map((e) => e.delayMs)).toEqual([80]);
  });

  it('R1 jitter spans 50%..100% of the computed delay: the lowest draw halves it, the highest keeps it', async () => {
    // The draws are fixed (Math.random's extremes and its middle), so the delays are exact, not sampled.
    const highest = 1 - 2 ** -53;
    const draws = [0, 0.5, highest, 0, 0.5, highest];
    jest.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0);
    const { p } = flaky(6, { attempts: 7, backoff: 'exponential', delayMs: 40, maxDelayMs: 500 });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(5000);
    expect(w.ok).toBe(true);
    // computed 40, 80, 160, 320, 500 (capped), 500
    const delays = retries(rec.events).map((e) => e.delayMs as number);
    expect(delays.map((d) => Math.round(d))).toEqual([20, 60, 160, 160, 375, 500]);
  });

  it('R1 a timed-out attempt is retried like any error, with a fresh signal for the next attempt', async () => {
    const p = new Pipeline<Ctx>('timeout-retry', ['call']);
    const signals: AbortSignal[] = [];
    p.onStep('call', async (ctx, run) => {
      signals.push(run.signal);
      if (run.attempt === 1) await new Promise(() => undefined); // hangs, ignores its signal
      ctx.log.push(`done#${run.attempt}`);
    });
    p.stepOptions('call', { timeoutMs: 50, retry: { attempts: 2, delayMs: 10, jitter: false } });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(49);
    expect(signals).toHaveLength(1);
    await tick(1);
    expect(signals[0]!.aborted).toBe(true);
    const r = retries(rec.events);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ step: 'call', attempt: 1, delayMs: 10 });
    expect(r[0]!.error).toBeInstanceOf(StepTimeoutError);
    await tick(10);
    expect(w.ok).toBe(true);
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(false);
    expect(w.value).toMatchObject({ outcome: 'completed', context: { log: ['done#2'] } });
    expect((w.value as { steps: unknown[] }).steps[0]).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('R1 a timed-out attempt is not retried when retryOn says no', async () => {
    const p = new Pipeline<Ctx>('timeout-no-retry', ['call']);
    let calls = 0;
    p.onStep('call', async () => {
      calls++;
      await new Promise(() => undefined);
    });
    p.stepOptions('call', {
      timeoutMs: 50,
      retry: { attempts: 3, retryOn: (err) => !(err instanceof StepTimeoutError) },
    });

    const w = watch(p.run({ log: [] }));
    await tick(50);
    expect(w.done).toBe(true);
    expect(w.error).toBeInstanceOf(StepTimeoutError);
    expect(calls).toBe(1);
  });

  it("R1 the wait listens to the run's signal: an abort during the wait ends the run cancelled at once", async () => {
    const controller = new AbortController();
    const { p, attempts } = flaky(Infinity, { attempts: 5, delayMs: 60_000, jitter: false });
    const outcomes: RunOutcome[] = [];
    p.onFinish((_ctx, o) => {
      outcomes.push(o);
    });
    const reason = new Error('client went away');

    const w = watch(p.run({ log: [] }, { signal: controller.signal }));
    await tick(1000);
    expect(attempts).toEqual([1]);
    expect(w.done).toBe(false);

    controller.abort(reason);
    await tick(1); // far less than the 59 s still to wait

    expect(w.done).toBe(true);
    expect(w.ok).toBe(true);
    expect(w.value).toMatchObject({ outcome: 'cancelled' });
    expect(outcomes).toEqual([expect.objectContaining({ status: 'cancelled', error: reason })]);
    await tick(120_000);
    expect(attempts).toEqual([1]);
  });

  it('R1 an abort during the wait of a step running beside others also ends the run cancelled at once', async () => {
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('graph-wait', ['a', 'b']);
    let bCalls = 0;
    p.onStep('a', () => {});
    p.onStep('b', () => {
      bCalls++;
      throw new Error('b fails');
    });
    p.stepOptions('b', { after: [], retry: { attempts: 3, delayMs: 60_000, jitter: false } });

    const w = watch(p.run({ log: [] }, { signal: controller.signal }));
    await tick(10);
    expect(w.done).toBe(false);
    controller.abort();
    await tick(1);

    expect(w.ok).toBe(true);
    expect(w.value).toMatchObject({ outcome: 'cancelled' });
    expect(bCalls).toBe(1);
  });
});

describe('R1 retry: validation', () => {
  it.each([0, -1, 1.5, Number.NaN])(
    'R1 retry.attempts %p is a configuration error from validate() naming the step',
    (attempts) => {
      const p = new Pipeline<Ctx>('bad-retry', ['charge_card']);
      p.onStep('charge_card', () => {});
      p.stepOptions('charge_card', { retry: { attempts } });

      const err = thrownBy(() => p.validate());

      expect(err).toBeInstanceOf(OrkaConfigurationError);
      const problems = (err as OrkaConfigurationError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('charge_card');
      expect(problems[0]).toMatch(/attempts/);
    },
  );

  it('R1 a run of a pipeline with retry.attempts < 1 rejects before any handler runs', async () => {
    const p = new Pipeline<Ctx>('bad-retry-run', ['first', 'charge_card']);
    const ran: string[] = [];
    p.onStep('first', () => {
      ran.push('first');
    });
    p.onStep('charge_card', () => {
      ran.push('charge_card');
    });
    p.stepOptions('charge_card', { retry: { attempts: 0 } });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(ran).toEqual([]);
  });

  it('R1 stepOptions on an unknown step throws at the call', () => {
    const p = new Pipeline<Ctx>('unknown-step', ['a']);
    expect(() => p.stepOptions('nope', { retry: { attempts: 2 } })).toThrow(/nope/);
  });
});
