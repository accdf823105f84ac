import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  OrkaConfigurationError,
  OrkaError,
  Pipeline,
  RunTimeoutError,
  StepTimeoutError,
  Stop,
  runFailure,
} from '../src/index.js';
import type { RunOutcome, RunResult, StepRecord } from '../src/index.js';
import { recorder, thrownBy, trail } from './helpers.js';

interface Ctx {
  log: string[];
  late?: string;
}

/** Advances the fake clock, then lets the promise callbacks that the timers released run. */
async function tick(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

interface Watched<T> {
  done: boolean;
  ok: boolean;
  value?: T;
  error?: unknown;
}

/** Follows a promise without awaiting it, so a test can look at it while the fake clock moves. */
function watch<T>(p: Promise<T>): Watched<T> {
  const w: Watched<T> = { done: false, ok: false };
  p.then(
    (value) => Object.assign(w, { done: true, ok: true, value }),
    (error: unknown) => Object.assign(w, { done: true, ok: false, error }),
  );
  return w;
}

/** Waits `ms` on the (fake) clock, ignoring any signal. */
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms` on the (fake) clock, or rejects with the signal's reason when it aborts. */
function waitOr(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('R2 step timeout', () => {
  it("R2 at the step's deadline its signal aborts and the run rejects with StepTimeoutError naming the step and budget", async () => {
    const p = new Pipeline<Ctx>('orders', ['reserve', 'charge', 'ship']);
    let signal: AbortSignal | undefined;
    const ran: string[] = [];
    p.onStep('reserve', () => {
      ran.push('reserve');
    });
    p.onStep('charge', async (_ctx, run) => {
      ran.push('charge');
      signal = run.signal;
      await new Promise(() => undefined); // never settles, ignores its signal
    });
    p.onStep('ship', () => {
      ran.push('ship');
    });
    p.stepOptions('charge', { timeoutMs: 100 });

    const w = watch(p.run({ log: [] }, { runId: 'timeout-1' }));
    await tick(99);
    expect(w.done).toBe(false);
    expect(signal!.aborted).toBe(false);
    await tick(1);

    expect(signal!.aborted).toBe(true);
    expect(w.done).toBe(true);
    const err = w.error as StepTimeoutError;
    expect(err).toBeInstanceOf(StepTimeoutError);
    expect(err).toBeInstanceOf(OrkaError);
    expect(err.step).toBe('charge');
    expect(err.budgetMs).toBe(100);
    expect(err.code).toBe('STEP_TIMEOUT');
    expect(err.message).toContain('charge');
    expect(runFailure(err)).toMatchObject({ pipeline: 'orders', step: 'charge', runId: 'timeout-1' });
    expect(runFailure(err)!.steps).toEqual([
      expect.objectContaining({ step: 'reserve', status: 'completed' }),
      expect.objectContaining({ step: 'charge', status: 'failed', error: err }),
    ]);
    expect(ran).toEqual(['reserve', 'charge']);
  });

  it('R2 a handler that honours its signal rejects at the deadline and the run still rejects with StepTimeoutError', async () => {
    const p = new Pipeline<Ctx>('honours', ['fetch']);
    p.onStep('fetch', (_ctx, run) => waitOr(10_000, run.signal));
    p.stepOptions('fetch', { timeoutMs: 30 });

    const w = watch(p.run({ log: [] }));
    await tick(30);

    expect(w.error).toBeInstanceOf(StepTimeoutError);
    expect(w.error).toMatchObject({ step: 'fetch', budgetMs: 30 });
  });

  it('R2 a step that settles within its budget completes, and its signal never aborts afterwards', async () => {
    const p = new Pipeline<Ctx>('in-time', ['fetch', 'next']);
    let signal: AbortSignal | undefined;
    p.onStep('fetch', async (ctx, run) => {
      signal = run.signal;
      await wait(40);
      ctx.log.push('fetched');
    });
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });
    p.stepOptions('fetch', { timeoutMs: 50 });

    const w = watch(p.run({ log: [] }));
    await tick(40);
    expect(w.ok).toBe(true);
    expect(w.value!.outcome).toBe('completed');
    expect(w.value!.context.log).toEqual(['fetched', 'next']);
    await tick(1000);
    expect(signal!.aborted).toBe(false);
  });

  it('R2 the budget covers the whole step: before, on and after phases together', async () => {
    const p = new Pipeline<Ctx>('phases', ['work']);
    let afterRan = false;
    p.beforeStep('work', () => wait(60));
    p.onStep('work', () => wait(60));
    p.afterStep('work', () => {
      afterRan = true;
    });
    p.stepOptions('work', { timeoutMs: 100 });

    const w = watch(p.run({ log: [] }));
    await tick(100);

    expect(w.error).toBeInstanceOf(StepTimeoutError);
    expect(afterRan).toBe(false);
  });

  it('R2 with retries, each attempt gets the whole budget', async () => {
    const p = new Pipeline<Ctx>('per-attempt', ['work']);
    p.onStep('work', async (_ctx, run) => {
      await wait(80);
      if (run.attempt === 1) throw new Error('first try fails after 80 ms');
    });
    p.stepOptions('work', { timeoutMs: 100, retry: { attempts: 2, jitter: false } });

    const w = watch(p.run({ log: [] }));
    await tick(200);

    expect(w.ok).toBe(true);
    expect(w.value!.steps[0]).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it("R2 a late result is ignored: what the handler returns or throws after its deadline changes neither the run's error, its records, nor its events", async () => {
    const p = new Pipeline<Ctx>('late', ['slow', 'after']);
    const outcomes: RunOutcome[] = [];
    let lateWriteDone = false;
    p.onStep('slow', async (ctx) => {
      await wait(200); // ignores its signal
      ctx.late = 'written after the deadline';
      lateWriteDone = true;
      throw new Error('late failure'); // must not become the run's error, nor an unhandled rejection
    });
    p.onStep('after', (ctx) => {
      ctx.log.push('after');
    });
    p.onFinish((ctx, outcome) => {
      outcomes.push(outcome);
      ctx.log.push(`finish:${ctx.late ?? 'untouched'}`);
    });
    p.stepOptions('slow', { timeoutMs: 50 });
    const rec = recorder();
    const ctx: Ctx = { log: [] };

    const w = watch(p.run(ctx, { observer: rec.observer }));
    await tick(50);
    expect(w.error).toBeInstanceOf(StepTimeoutError);
    const recordsAtSettle = structuredClone(stripErrors(runFailure(w.error)!.steps));
    const eventsAtSettle = trail(rec.events);

    await tick(500);

    expect(lateWriteDone).toBe(true);
    expect(stripErrors(runFailure(w.error)!.steps)).toEqual(recordsAtSettle);
    expect(runFailure(w.error)!.steps[0]!.error).toBe(w.error);
    expect(trail(rec.events)).toEqual(eventsAtSettle);
    expect(eventsAtSettle[eventsAtSettle.length - 1]).toBe('run.finished');
    expect(outcomes).toEqual([expect.objectContaining({ status: 'failed', error: w.error })]);
    expect(ctx.log).toEqual(['finish:untouched']);
    // What the kernel cannot prevent: a handler that ignores its signal keeps running, and its late
    // write lands on the shared context object. Handlers must honour run.signal to avoid that.
    expect(ctx.late).toBe('written after the deadline');
  });

  it("R2 a late result is ignored under retry: the timed-out attempt's late Stop and late write do not change the outcome or the record", async () => {
    const p = new Pipeline<Ctx>('late-retry', ['slow', 'next']);
    p.onStep('slow', async (ctx, run) => {
      if (run.attempt === 1) {
        await wait(300); // ignores its signal
        ctx.late = 'attempt 1, late';
        return Stop;
      }
      ctx.log.push('attempt 2');
      return undefined;
    });
    p.onStep('next', (ctx) => {
      ctx.log.push('next');
    });
    p.stepOptions('slow', { timeoutMs: 50, retry: { attempts: 2, jitter: false } });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { observer: rec.observer }));
    await tick(50);
    await tick(1); // the retry's zero wait (the fake clock runs a 0 ms timer set during a tick 1 ms later)
    expect(w.ok).toBe(true);
    const result = w.value as RunResult<Ctx>;
    expect(result.outcome).toBe('completed');
    const recordsAtSettle = structuredClone(result.steps);

    await tick(500);

    expect(result.outcome).toBe('completed');
    expect(result.steps).toEqual(recordsAtSettle);
    expect(result.steps).toEqual([
      expect.objectContaining({ step: 'slow', status: 'completed', attempts: 2 }),
      expect.objectContaining({ step: 'next', status: 'completed' }),
    ]);
    expect(rec.events.filter((e) => e.type === 'step.stopped')).toEqual([]);
    expect(result.context.log).toEqual(['attempt 2', 'next']);
    // Not preventable by the kernel: the abandoned attempt still wrote to the shared context object.
    expect(result.context.late).toBe('attempt 1, late');
  });

  it('R2 the pipeline option timeoutMs is the default budget of every step; a step timeoutMs overrides it', async () => {
    const build = (bMs: number, cMs: number) => {
      const p = new Pipeline<Ctx>('defaults', ['a', 'b', 'c'], { timeoutMs: 100 });
      p.onStep('a', () => wait(90));
      p.onStep('b', () => wait(bMs));
      p.onStep('c', () => wait(cMs));
      p.stepOptions('b', { timeoutMs: 300 }); // longer than the default
      p.stepOptions('c', { timeoutMs: 20 }); // shorter than the default
      return p;
    };

    const ok = watch(build(250, 10).run({ log: [] }));
    await tick(90 + 250 + 10);
    expect(ok.ok).toBe(true);

    const bLate = watch(build(350, 10).run({ log: [] }));
    await tick(90 + 300);
    expect(bLate.error).toBeInstanceOf(StepTimeoutError);
    expect(bLate.error).toMatchObject({ step: 'b', budgetMs: 300 });

    const cLate = watch(build(10, 30).run({ log: [] }));
    await tick(90 + 10 + 20);
    expect(cLate.error).toMatchObject({ step: 'c', budgetMs: 20 });
  });

  it('R2 a step without its own timeoutMs fails with the pipeline default as its budget', async () => {
    const p = new Pipeline<Ctx>('default-only', ['a']);
    p.onStep('a', () => wait(1000));
    const withDefault = new Pipeline<Ctx>('default-only', ['a'], { timeoutMs: 70 });
    withDefault.onStep('a', () => wait(1000));

    const w = watch(withDefault.run({ log: [] }));
    const plain = watch(p.run({ log: [] }));
    await tick(70);
    expect(w.error).toBeInstanceOf(StepTimeoutError);
    expect(w.error).toMatchObject({ step: 'a', budgetMs: 70 });
    expect(plain.done).toBe(false);
    await tick(930);
    expect(plain.ok).toBe(true);
  });

  it('R2 a StepTimeoutError inside a sub-run reaches the caller unchanged; runFailure names the inner step', async () => {
    const sub = new Pipeline<Ctx>('inner', ['slow']);
    sub.onStep('slow', () => wait(1000));
    sub.stepOptions('slow', { timeoutMs: 40 });
    const parent = new Pipeline<Ctx>('outer', ['delegate']);
    parent.onStep('delegate', (ctx, run) => run.subPipeline(sub, ctx));

    const w = watch(parent.run({ log: [] }, { runId: 'outer-run' }));
    await tick(40);

    expect(w.error).toBeInstanceOf(StepTimeoutError);
    expect(w.error).toMatchObject({ step: 'slow', budgetMs: 40 });
    expect(runFailure(w.error)).toMatchObject({ pipeline: 'inner', step: 'slow', rootRunId: 'outer-run' });
  });

  it.each([0, -5])('R2 timeoutMs %p is a configuration error naming the step', (timeoutMs) => {
    const p = new Pipeline<Ctx>('bad-timeout', ['call_api']);
    p.onStep('call_api', () => {});
    p.stepOptions('call_api', { timeoutMs });

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect((err as OrkaConfigurationError).problems.join('\n')).toContain('call_api');
  });
});

describe('R2 run deadline (deadlineMs)', () => {
  it('R2 at the deadline the running step is aborted, compensations and finishers run, and the run rejects with RunTimeoutError without waiting for the handler', async () => {
    const p = new Pipeline<Ctx>('deadline', ['reserve', 'charge', 'ship']);
    const log: string[] = [];
    let chargeSignal: AbortSignal | undefined;
    const outcomes: RunOutcome[] = [];
    p.onStep('reserve', () => {
      log.push('reserve');
    });
    p.onStep('charge', async (_ctx, run) => {
      chargeSignal = run.signal;
      await wait(5000); // ignores its signal
      log.push('charge finished late');
    });
    p.onStep('ship', () => {
      log.push('ship');
    });
    p.compensate('reserve', () => {
      log.push('undo reserve');
    });
    p.compensate('charge', () => {
      log.push('undo charge');
    });
    p.onFinish((_ctx, outcome) => {
      outcomes.push(outcome);
      log.push('finish');
    });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { deadlineMs: 30, runId: 'deadline-run', observer: rec.observer }));
    await tick(29);
    expect(w.done).toBe(false);
    await tick(1);

    expect(w.done).toBe(true);
    const err = w.error as RunTimeoutError;
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err).toBeInstanceOf(OrkaError);
    expect(err.budgetMs).toBe(30);
    expect(err.code).toBe('RUN_TIMEOUT');
    expect(chargeSignal!.aborted).toBe(true);
    expect(log).toEqual(['reserve', 'undo reserve', 'finish']);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'failed', error: err })]);
    expect(runFailure(err)).toMatchObject({ pipeline: 'deadline', step: 'charge', runId: 'deadline-run' });
    expect(runFailure(err)!.steps.map((r: StepRecord) => [r.step, r.status])).toEqual([
      ['reserve', 'compensated'],
      ['charge', 'failed'],
    ]);

    // The abandoned handler's late result is ignored: no next step, no more events.
    const eventsAtSettle = rec.events.length;
    await tick(6000);
    expect(log).toEqual(['reserve', 'undo reserve', 'finish', 'charge finished late']);
    expect(rec.events).toHaveLength(eventsAtSettle);
  });

  it('R2 a deadline that passes while a step waits to retry names that step', async () => {
    const p = new Pipeline<Ctx>('deadline-retry', ['first', 'flaky']);
    let tries = 0;
    p.onStep('first', () => {});
    p.onStep('flaky', () => {
      tries++;
      throw new Error('down');
    });
    p.stepOptions('flaky', { retry: { attempts: 5, delayMs: 1000, jitter: false } });

    const w = watch(p.run({ log: [] }, { deadlineMs: 500 }));
    await tick(500);

    expect(w.error).toBeInstanceOf(RunTimeoutError);
    expect(runFailure(w.error)!.step).toBe('flaky');
    expect(tries).toBe(1);
    await tick(5000);
    expect(tries).toBe(1);
  });

  it('R2 with steps running side by side, the deadline aborts all of them and runFailure names the earliest started', async () => {
    const p = new Pipeline<Ctx>('deadline-graph', ['left', 'right', 'join']);
    const signals: Record<string, AbortSignal> = {};
    let joined = false;
    p.onStep('left', async (_ctx, run) => {
      signals.left = run.signal;
      await wait(5000);
    });
    p.onStep('right', async (_ctx, run) => {
      signals.right = run.signal;
      await wait(5000);
    });
    p.onStep('join', () => {
      joined = true;
    });
    p.stepOptions('right', { after: [] });
    p.stepOptions('join', { after: ['left', 'right'] });

    const w = watch(p.run({ log: [] }, { deadlineMs: 30 }));
    await tick(30);

    expect(w.error).toBeInstanceOf(RunTimeoutError);
    expect(signals.left!.aborted).toBe(true);
    expect(signals.right!.aborted).toBe(true);
    expect(runFailure(w.error)!.step).toBe('left');
    await tick(6000);
    expect(joined).toBe(false);
  });

  it("R2 the run's deadline wins over a longer step budget", async () => {
    const p = new Pipeline<Ctx>('deadline-first', ['slow']);
    p.onStep('slow', () => wait(5000));
    p.stepOptions('slow', { timeoutMs: 1000 });

    const w = watch(p.run({ log: [] }, { deadlineMs: 100 }));
    await tick(100);

    expect(w.error).toBeInstanceOf(RunTimeoutError);
    expect((w.error as RunTimeoutError).budgetMs).toBe(100);
  });

  it('R2 a run that ends before its deadline completes normally and nothing happens at the deadline', async () => {
    const p = new Pipeline<Ctx>('deadline-unused', ['a', 'b']);
    const outcomes: RunOutcome[] = [];
    p.onStep('a', () => wait(10));
    p.onStep('b', () => wait(10));
    p.onFinish((_ctx, o) => {
      outcomes.push(o);
    });
    const rec = recorder();

    const w = watch(p.run({ log: [] }, { deadlineMs: 100, observer: rec.observer }));
    await tick(20);
    expect(w.ok).toBe(true);
    expect(w.value!.outcome).toBe('completed');
    const events = rec.events.length;
    await tick(500);
    expect(rec.events).toHaveLength(events);
    expect(outcomes).toHaveLength(1);
  });

  it('R2 the deadline counts from the start of the run: the time of earlier steps is used up', async () => {
    const p = new Pipeline<Ctx>('deadline-total', ['a', 'b', 'c']);
    p.onStep('a', () => wait(40));
    p.onStep('b', () => wait(40));
    p.onStep('c', () => wait(40));

    const w = watch(p.run({ log: [] }, { deadlineMs: 100 }));
    await tick(100);

    expect(w.error).toBeInstanceOf(RunTimeoutError);
    expect(runFailure(w.error)!.step).toBe('c');
  });

  /**
   * A parent whose step `provision` runs a sub-run whose step `allocate` ignores its signal for 5 s;
   * `extras` gives the parent a compensation and a finisher.
   */
  function slowSubRun(extras = true) {
    const sub = new Pipeline<Ctx>('provisioning', ['allocate']);
    const seen: { subSignal?: AbortSignal; subFinished: string[]; parentFinished: string[]; log: string[] } =
      {
        subFinished: [],
        parentFinished: [],
        log: [],
      };
    sub.onStep('allocate', async (_ctx, run) => {
      seen.subSignal = run.signal;
      await wait(5000); // ignores its signal
      seen.log.push('allocate finished late');
    });
    sub.onFinish((_ctx, o) => {
      seen.subFinished.push(o.status);
    });
    const parent = new Pipeline<Ctx>('signup', ['account', 'provision', 'mail']);
    parent.onStep('account', () => wait(10));
    parent.onStep('provision', (ctx, run) => run.subPipeline(sub, ctx));
    parent.onStep('mail', () => {
      seen.log.push('mail');
    });
    if (extras) {
      parent.compensate('account', () => {
        seen.log.push('undo account');
      });
      parent.onFinish((_ctx, o) => {
        seen.parentFinished.push(o.status);
      });
    }
    return { parent, seen };
  }

  it('R2 a sub-run lives inside the parent deadline: its step is aborted and the parent rejects at the deadline without waiting for it', async () => {
    const { parent, seen } = slowSubRun();

    const w = watch(parent.run({ log: [] }, { deadlineMs: 30, runId: 'parent-run' }));
    await tick(29);
    expect(w.done).toBe(false);
    await tick(1);

    expect(w.done).toBe(true);
    expect(w.error).toBeInstanceOf(RunTimeoutError);
    expect((w.error as RunTimeoutError).budgetMs).toBe(30);
    expect(seen.subSignal!.aborted).toBe(true);
    expect(seen.subFinished).toEqual(['failed']);
    expect(seen.parentFinished).toEqual(['failed']);
    expect(seen.log).toEqual(['undo account']);
    await tick(6000);
    expect(seen.log).toEqual(['undo account', 'allocate finished late']);
  });

  it.each([
    ['with', true],
    ['without', false],
  ])(
    "R2 runFailure of a deadline that passes inside a sub-run (parent %s compensation and finisher) reports the root run's id and records, and a pipeline/step pair that belong together",
    async (_label, extras) => {
      const { parent } = slowSubRun(extras);

      const w = watch(parent.run({ log: [] }, { deadlineMs: 30, runId: 'parent-run' }));
      await tick(30);

      expect(w.error).toBeInstanceOf(RunTimeoutError);
      const f = runFailure(w.error)!;
      // Contract section 4, "Failures": rootRunId is the outermost run; "Closer still": runFailure(err).steps
      // are the root run's records.
      expect(f.rootRunId).toBe('parent-run');
      expect(f.steps.map((r) => r.step)).toEqual(['account', 'provision']);
      // The step that was running: the parent's (in the parent) or the sub-run's (innermost), never a mix.
      expect([
        ['signup', 'provision'],
        ['provisioning', 'allocate'],
      ]).toContainEqual([f.pipeline, f.step]);
    },
  );

  it('R2 a sub-run that ends inside the deadline lets the parent go on', async () => {
    const sub = new Pipeline<Ctx>('quick-sub', ['x']);
    sub.onStep('x', (ctx) => {
      ctx.log.push('x');
      return wait(10);
    });
    const parent = new Pipeline<Ctx>('quick-parent', ['a', 'b']);
    parent.onStep('a', (ctx, run) => run.subPipeline(sub, ctx));
    parent.onStep('b', (ctx) => {
      ctx.log.push('b');
    });

    const w = watch(parent.run({ log: [] }, { deadlineMs: 100 }));
    await tick(10);

    expect(w.ok).toBe(true);
    expect(w.value!.context.log).toEqual(['x', 'b']);
  });
});

/** Records without their error objects, so that they can be cloned and compared. */
function stripErrors(records: StepRecord[]): Omit<StepRecord, 'error'>[] {
  return records.map(({ error: _error, ...rest }) => rest);
}
