import { describe, expect, it } from '@jest/globals';
import { OrkaConfigurationError, Pipeline, Stop, runFailure } from '../src/index.js';
import type { RunOutcome, StepRecord } from '../src/index.js';
import { deferred, flush, recorder, rejectionOf, thrownBy } from './helpers.js';

interface Ctx {
  log: string[];
}

/** Waits until `cond` holds, letting promise callbacks and short timers run (fails after ~1 s). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Tracks which steps started and finished, and lets the test finish each step by hand. */
function gated(name: string, steps: string[]) {
  const p = new Pipeline<Ctx>(name, steps);
  const started: string[] = [];
  const finished: string[] = [];
  const gates = new Map(steps.map((s) => [s, deferred<unknown>()] as const));
  const signals = new Map<string, AbortSignal>();
  for (const s of steps) {
    p.onStep(s, async (ctx, run) => {
      started.push(s);
      signals.set(s, run.signal);
      const result = await gates.get(s)!.promise;
      finished.push(s);
      ctx.log.push(s);
      if (result instanceof Error) throw result;
      return result as typeof Stop | undefined;
    });
  }
  const open = (s: string, value?: unknown) => gates.get(s)!.resolve(value);
  return { p, started, finished, signals, open };
}

function watch<T>(p: Promise<T>): { done: boolean; ok: boolean; value?: T; error?: unknown } {
  const w: { done: boolean; ok: boolean; value?: T; error?: unknown } = { done: false, ok: false };
  p.then(
    (value) => Object.assign(w, { done: true, ok: true, value }),
    (error: unknown) => Object.assign(w, { done: true, ok: false, error }),
  );
  return w;
}

const names = (records: StepRecord[]) => records.map((r) => r.step);

describe('R4 dependencies: scheduling', () => {
  it('R4 without after, every step waits for the one declared before it', async () => {
    const g = gated('sequential', ['a', 'b', 'c']);

    const w = watch(g.p.run({ log: [] }));
    await flush();
    expect(g.started).toEqual(['a']);
    g.open('a');
    await until(() => g.started.length === 2, 'b starts');
    expect(g.started).toEqual(['a', 'b']);
    g.open('b');
    await until(() => g.started.length === 3, 'c starts');
    g.open('c');
    await until(() => w.done, 'run ends');
    expect(w.value!.context.log).toEqual(['a', 'b', 'c']);
  });

  it('R4 steps whose dependencies are met run concurrently: both start before either finishes', async () => {
    const g = gated('diamond', ['a', 'b', 'c', 'd']);
    g.p.stepOptions('c', { after: ['a'] });
    g.p.stepOptions('d', { after: ['b', 'c'] });
    // b waits for a implicitly (declared before it), c names a: b and c both wait for a only.

    const w = watch(g.p.run({ log: [] }));
    await flush();
    expect(g.started).toEqual(['a']);
    g.open('a');
    await until(() => g.started.length === 3, 'b and c start');

    expect(g.started).toEqual(['a', 'b', 'c']);
    expect(g.finished).toEqual(['a']); // b and c overlap: both started, neither finished

    g.open('c');
    await until(() => g.finished.includes('c'), 'c finishes');
    await flush();
    expect(g.started).not.toContain('d'); // d still waits for b

    g.open('b');
    await until(() => g.started.includes('d'), 'd starts');
    g.open('d');
    await until(() => w.done, 'run ends');
    expect(w.ok).toBe(true);
    expect(w.value!.outcome).toBe('completed');
    expect(w.value!.context.log).toEqual(['a', 'c', 'b', 'd']);
  });

  it('R4 after: [] makes a step start at once, beside the first step', async () => {
    const g = gated('roots', ['a', 'b']);
    g.p.stepOptions('b', { after: [] });

    const w = watch(g.p.run({ log: [] }));
    await until(() => g.started.length === 2, 'a and b start');

    expect(g.started).toEqual(['a', 'b']);
    expect(g.finished).toEqual([]);
    g.open('b');
    g.open('a');
    await until(() => w.done, 'run ends');
    expect(w.ok).toBe(true);
  });

  it('R4 a step without after waits for the step declared before it, even when that one runs beside others', async () => {
    const g = gated('implicit', ['a', 'b', 'c']);
    g.p.stepOptions('b', { after: [] }); // b runs beside a; c waits for b only (implicit predecessor)

    const w = watch(g.p.run({ log: [] }));
    await until(() => g.started.length === 2, 'a and b start');
    g.open('b');
    await until(() => g.started.includes('c'), 'c starts after b');

    expect(g.finished).toEqual(['b']); // a still running: c did not wait for it
    g.open('c');
    g.open('a');
    await until(() => w.done, 'run ends');
    expect(w.ok).toBe(true);
  });

  it('R4 no step starts before all of its dependencies have completed', async () => {
    const p = new Pipeline<Ctx>('deps', ['a', 'b', 'c', 'd', 'e']);
    const completed = new Set<string>();
    const violations: string[] = [];
    const deps: Record<string, string[]> = { a: [], b: [], c: ['a'], d: ['a', 'b'], e: ['c', 'd'] };
    for (const [s, ds] of Object.entries(deps)) {
      p.onStep(s, async () => {
        for (const d of ds) if (!completed.has(d)) violations.push(`${s} started before ${d} completed`);
        for (let i = 0; i < (s.charCodeAt(0) % 3) + 1; i++) await new Promise((r) => setTimeout(r, 1));
        completed.add(s);
      });
      p.stepOptions(s, { after: ds });
    }

    const result = await p.run({ log: [] });

    expect(violations).toEqual([]);
    expect(result.outcome).toBe('completed');
    expect(names(result.steps).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('R4 records come in the order the steps started', async () => {
    const g = gated('start-order', ['a', 'b', 'c', 'd']);
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: ['b'] });
    g.p.stepOptions('d', { after: ['a'] });

    const w = watch(g.p.run({ log: [] }));
    await until(() => g.started.length === 2, 'a and b start');
    g.open('b'); // c starts next
    await until(() => g.started.includes('c'), 'c starts');
    g.open('a'); // then d
    await until(() => g.started.includes('d'), 'd starts');
    g.open('d');
    g.open('c');
    await until(() => w.done, 'run ends');

    expect(g.started).toEqual(['a', 'b', 'c', 'd']);
    expect(names(w.value!.steps)).toEqual(['a', 'b', 'c', 'd']);
    expect(g.finished).toEqual(['b', 'a', 'd', 'c']);
  });

  it('R4 a skipped dependency still lets its dependents run', async () => {
    const p = new Pipeline<Ctx>('skipped-dep', ['a', 'b', 'c']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });
    p.skipIf('a', () => true, 'not today');
    p.stepOptions('b', { after: ['a'] });
    p.stepOptions('c', { after: ['a', 'b'] });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['b', 'c']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'skipped'],
      ['b', 'completed'],
      ['c', 'completed'],
    ]);
  });

  it('R4 an optional step without handlers counts as met for its dependents', async () => {
    const p = new Pipeline<Ctx>('optional-dep', ['a', 'b', 'c']);
    p.optional('a');
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });
    p.stepOptions('c', { after: ['a'] });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect([...result.context.log].sort()).toEqual(['b', 'c']);
  });

  it('R4 events of concurrent steps each come in their own step order: started, then completed', async () => {
    const g = gated('events', ['a', 'b', 'c']);
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: ['a', 'b'] });
    const rec = recorder();

    const w = watch(g.p.run({ log: [] }, { observer: rec.observer }));
    await until(() => g.started.length === 2, 'a and b start');
    g.open('b');
    g.open('a');
    await until(() => g.started.includes('c'), 'c starts');
    g.open('c');
    await until(() => w.done, 'run ends');

    const steps = rec.events.filter((e) => e.step !== undefined).map((e) => `${e.type}:${e.step}`);
    expect(steps.slice(0, 2)).toEqual(['step.started:a', 'step.started:b']);
    expect(steps.indexOf('step.started:c')).toBeGreaterThan(steps.indexOf('step.completed:a'));
    expect(steps.indexOf('step.started:c')).toBeGreaterThan(steps.indexOf('step.completed:b'));
    expect(steps[steps.length - 1]).toBe('step.completed:c');
  });
});

describe('R4 dependencies: Stop, failure and cancellation beside running steps', () => {
  it('R4 a Stop beside running steps: no new step starts, the running ones finish with signals not aborted, outcome stopped', async () => {
    const g = gated('stop-beside', ['a', 'b', 'c', 'd']);
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: ['a'] }); // would be ready once a finishes
    g.p.stepOptions('d', { after: ['a', 'b'] });
    const outcomes: RunOutcome[] = [];
    g.p.onFinish((_ctx, o) => {
      outcomes.push(o);
    });
    const rec = recorder();

    const w = watch(g.p.run({ log: [] }, { observer: rec.observer }));
    await until(() => g.started.length === 2, 'a and b start');
    g.open('b', Stop);
    await until(() => g.finished.includes('b'), 'b stops');
    await flush();
    expect(w.done).toBe(false); // a is still running: the run waits for it
    expect(g.signals.get('a')!.aborted).toBe(false);

    g.open('a');
    await until(() => w.done, 'run ends');

    expect(g.started).toEqual(['a', 'b']); // neither c nor d started, though c's dependency completed
    expect(g.signals.get('a')!.aborted).toBe(false);
    expect(w.ok).toBe(true);
    expect(w.value!.outcome).toBe('stopped');
    expect(w.value!.steps.map((r) => [r.step, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'stopped'],
    ]);
    expect(rec.events.filter((e) => e.type === 'step.stopped').map((e) => e.step)).toEqual(['b']);
    expect(outcomes.map((o) => o.status)).toEqual(['stopped']);
  });

  it('R4 a failure beside running steps aborts their signals, waits for them to settle, then rejects with the first error', async () => {
    const g = gated('fail-beside', ['a', 'b', 'c', 'd']);
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: [] });
    g.p.stepOptions('d', { after: ['a', 'b', 'c'] });
    const first = new Error('b failed first');
    const later = new Error('c failed later');

    const w = watch(g.p.run({ log: [] }, { runId: 'fail-run' }));
    await until(() => g.started.length === 3, 'a, b and c start');
    g.open('b', first);
    await until(() => g.signals.get('a')!.aborted && g.signals.get('c')!.aborted, 'siblings aborted');
    await flush();
    expect(w.done).toBe(false); // a and c ignore their signals: the run waits for them

    g.open('c', later);
    await flush();
    expect(w.done).toBe(false);
    g.open('a');
    await until(() => w.done, 'run ends');

    expect(w.error).toBe(first);
    expect(g.started).toEqual(['a', 'b', 'c']);
    expect(runFailure(first)).toMatchObject({ step: 'b', runId: 'fail-run' });
  });

  it('R4 a failure beside running steps compensates the steps that completed, in reverse order of the records', async () => {
    const g = gated('fail-compensate', ['a', 'b', 'c']);
    const undone: string[] = [];
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: [] });
    for (const s of ['a', 'b', 'c'])
      g.p.compensate(s, () => {
        undone.push(s);
      });
    const boom = new Error('c failed');

    const w = watch(g.p.run({ log: [] }));
    await until(() => g.started.length === 3, 'a, b and c start');
    g.open('b');
    await until(() => g.finished.includes('b'), 'b completes');
    g.open('c', boom);
    await flush();
    g.open('a'); // completes although aborted (it ignores its signal)
    await until(() => w.done, 'run ends');

    expect(w.error).toBe(boom);
    expect(undone).toEqual(['b', 'a']);
  });

  it('R4 a skip predicate that throws beside a running step fails the run like a step error: the running step is aborted', async () => {
    const g = gated('skip-throws-beside', ['a', 'b', 'c']);
    const boom = new Error('skip predicate broke');
    g.p.stepOptions('b', { after: [] });
    g.p.skipIf('b', () => {
      throw boom;
    });

    const w = watch(g.p.run({ log: [] }));
    await until(() => g.started.includes('a'), 'a starts');
    await flush();
    // Contract, "Closer still": when one fails, the running ones get their signals aborted.
    expect(g.signals.get('a')!.aborted).toBe(true);
    g.open('a');
    await until(() => w.done, 'run ends');

    expect(w.error).toBe(boom);
    expect(g.started).toEqual(['a']);
    expect(runFailure(boom)!.step).toBe('b');
  });

  it('R4 a step may wait for a step declared after it', async () => {
    const p = new Pipeline<Ctx>('forward', ['report', 'collect']);
    p.onStep('report', (ctx) => {
      ctx.log.push('report');
    });
    p.onStep('collect', (ctx) => {
      ctx.log.push('collect');
    });
    p.stepOptions('collect', { after: [] });
    p.stepOptions('report', { after: ['collect'] });

    const result = await p.run({ log: [] });

    expect(result.context.log).toEqual(['collect', 'report']);
    expect(names(result.steps)).toEqual(['collect', 'report']);
  });

  it('R4 a step that waits to retry beside a failing step is aborted and not tried again', async () => {
    const p = new Pipeline<Ctx>('retry-beside', ['a', 'b']);
    let bTries = 0;
    const gate = deferred();
    const boom = new Error('a failed');
    p.onStep('a', async () => {
      await gate.promise;
      throw boom;
    });
    p.onStep('b', () => {
      bTries++;
      throw new Error('b flaky');
    });
    p.stepOptions('b', { after: [], retry: { attempts: 3, delayMs: 60_000, jitter: false } });

    const w = watch(p.run({ log: [] }));
    await until(() => bTries === 1, 'b tried once');
    gate.resolve();
    await until(() => w.done, 'run ends'); // well before b's 60 s wait

    expect(w.error).toBe(boom);
    expect(bTries).toBe(1);
  });

  it('R4 cancellation beside running steps aborts them and ends the run cancelled; no new step starts', async () => {
    const controller = new AbortController();
    const g = gated('cancel-beside', ['a', 'b', 'c']);
    g.p.stepOptions('b', { after: [] });
    g.p.stepOptions('c', { after: ['a'] });

    const w = watch(g.p.run({ log: [] }, { signal: controller.signal }));
    await until(() => g.started.length === 2, 'a and b start');
    controller.abort();
    expect(g.signals.get('a')!.aborted).toBe(true);
    expect(g.signals.get('b')!.aborted).toBe(true);
    g.open('a');
    g.open('b');
    await until(() => w.done, 'run ends');

    expect(w.ok).toBe(true);
    expect(w.value!.outcome).toBe('cancelled');
    expect(g.started).toEqual(['a', 'b']);
  });
});

describe('R4 dependencies: configuration errors', () => {
  it('R4 an unknown name in after is an OrkaConfigurationError from validate() naming the step and the unknown name', () => {
    const p = new Pipeline<Ctx>('unknown', ['reserve', 'charge']);
    p.onStep('reserve', () => {});
    p.onStep('charge', () => {});
    // stepOptions itself does not check names.
    expect(() => p.stepOptions('charge', { after: ['ghost_step'] })).not.toThrow();

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    const problems = (err as OrkaConfigurationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('charge');
    expect(problems[0]).toContain('ghost_step');
    expect((err as Error).message).toContain('ghost_step');
  });

  it('R4 a cycle of after is an OrkaConfigurationError from validate() naming the steps of the cycle', () => {
    const p = new Pipeline<Ctx>('cycle', ['start', 'reserve', 'charge', 'ship']);
    for (const s of ['start', 'reserve', 'charge', 'ship']) p.onStep(s, () => {});
    p.stepOptions('reserve', { after: ['ship'] });
    p.stepOptions('charge', { after: ['reserve'] });
    p.stepOptions('ship', { after: ['charge'] });

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    const text = (err as OrkaConfigurationError).problems.join('\n');
    expect(text).toContain('reserve');
    expect(text).toContain('charge');
    expect(text).toContain('ship');
    expect(text).not.toContain('"start"');
  });

  it('R4 a cycle through an implicit predecessor is found too', () => {
    const p = new Pipeline<Ctx>('implicit-cycle', ['first_step', 'second_step']);
    p.onStep('first_step', () => {});
    p.onStep('second_step', () => {});
    p.stepOptions('first_step', { after: ['second_step'] }); // second_step waits for first_step implicitly

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    const text = (err as OrkaConfigurationError).problems.join('\n');
    expect(text).toContain('first_step');
    expect(text).toContain('second_step');
  });

  it('R4 a step that waits for itself is a configuration error', () => {
    const p = new Pipeline<Ctx>('self', ['a', 'loop_step']);
    p.onStep('a', () => {});
    p.onStep('loop_step', () => {});
    p.stepOptions('loop_step', { after: ['loop_step'] });

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect((err as OrkaConfigurationError).problems.join('\n')).toContain('loop_step');
  });

  it('R4 validate() lists an unknown name and a cycle together, and run rejects before any handler runs', async () => {
    const p = new Pipeline<Ctx>('both', ['a', 'b', 'c', 'd']);
    const ran: string[] = [];
    for (const s of ['a', 'b', 'c', 'd'])
      p.onStep(s, () => {
        ran.push(s);
      });
    p.stepOptions('b', { after: ['c'] });
    p.stepOptions('c', { after: ['b'] });
    p.stepOptions('d', { after: ['nowhere'] });

    const err = thrownBy(() => p.validate()) as OrkaConfigurationError;
    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err.problems.length).toBeGreaterThanOrEqual(2);
    expect(err.problems.some((line) => line.includes('nowhere'))).toBe(true);
    expect(
      err.problems.some((line) => line.includes('b') && line.includes('c') && !line.includes('nowhere')),
    ).toBe(true);

    const runErr = await rejectionOf(p.run({ log: [] }));
    expect(runErr).toBeInstanceOf(OrkaConfigurationError);
    expect(ran).toEqual([]);
  });

  it('R4 validate() returns nothing for a valid dependency graph', () => {
    const p = new Pipeline<Ctx>('valid', ['a', 'b', 'c']);
    for (const s of ['a', 'b', 'c']) p.onStep(s, () => {});
    p.stepOptions('b', { after: [] });
    p.stepOptions('c', { after: ['a', 'b'] });

    expect(p.validate()).toBeUndefined();
  });
});
