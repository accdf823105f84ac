// Property-based tests of the resilience rules R1, R3 and R4 together with K2, K3, K8 and K10:
// random pipelines (1-8 steps; handlers that fail a few times, retries, Stop, skips, `after`
// dependencies forming a DAG over earlier steps, a cancellation at a random step, a compensation on
// every step), run once each, checked against invariants that hold whatever the interleaving.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CompensationError, Pipeline, Stop, runFailure } from '../src/index.js';
import type { OrkaEvent, RunOutcome, RunResult, StepRecord } from '../src/index.js';

/** How a handler waits before it answers: not at all, a few microtasks, or a short real timer. */
type Pace = { kind: 'sync' } | { kind: 'micro'; turns: number } | { kind: 'timer'; ms: number };

interface StepSpec {
  /** How many of its first invocations throw. */
  failures: number;
  /** The retry policy's attempts; undefined: no retry policy (one try). */
  attempts: number | undefined;
  /** Returns Stop when it succeeds. */
  stop: boolean;
  /** Its skip predicate says yes. */
  skip: boolean;
  /** Its skip predicate throws (a failure of the step before any handler runs). */
  skipThrows: boolean;
  /** Explicit dependencies (indices of earlier steps); undefined: the implicit predecessor. */
  after: number[] | undefined;
  pace: Pace;
  /** Its compensation throws. */
  compensationThrows: boolean;
}

interface Scenario {
  steps: StepSpec[];
  /** The step whose successful invocation aborts the run's signal. */
  cancelAt: number | undefined;
}

/** What a handler throws on purpose; any other error seen by the kernel is its own doing. */
class PlannedFailure extends Error {
  constructor(
    readonly step: string,
    readonly invocation: number,
  ) {
    super(`${step} fails on invocation ${invocation}`);
  }
}

class PlannedCompensationFailure extends Error {}

const paceArb: fc.Arbitrary<Pace> = fc.oneof(
  fc.constant<Pace>({ kind: 'sync' }),
  fc.integer({ min: 1, max: 3 }).map((turns): Pace => ({ kind: 'micro', turns })),
  fc.integer({ min: 0, max: 2 }).map((ms): Pace => ({ kind: 'timer', ms })),
);

/** True about once in `n` draws. */
const rarely = (n: number) => fc.integer({ min: 1, max: n }).map((x) => x === 1);

function stepArb(index: number): fc.Arbitrary<StepSpec> {
  const earlier = Array.from({ length: index }, (_, i) => i);
  return fc.record({
    failures: fc.integer({ min: 0, max: 3 }),
    attempts: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    stop: rarely(7),
    skip: rarely(7),
    skipThrows: rarely(15),
    after:
      index === 0 ? fc.constant(undefined) : fc.option(fc.subarray(earlier), { nil: undefined, freq: 2 }),
    pace: paceArb,
    compensationThrows: rarely(10),
  });
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc
    .record({
      steps: fc.tuple(...Array.from({ length: n }, (_, i) => stepArb(i))),
      cancelAt: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }),
      // A third of the pipelines keep the declared order only (the kernel's sequential path).
      sequential: rarely(3),
    })
    .map(({ steps, cancelAt, sequential }) => ({
      steps: sequential ? steps.map((st) => ({ ...st, after: undefined })) : steps,
      cancelAt,
    })),
);

const name = (i: number) => `s${i}`;

/** Dependencies as the kernel sees them: the declared ones, or the step declared just before. */
const effectiveDeps = (spec: StepSpec, i: number): number[] => spec.after ?? (i > 0 ? [i - 1] : []);

interface Observed {
  invocations: number[];
  /** Steps whose handler returned without throwing and without Stop. */
  succeeded: Set<string>;
  /** Steps whose handler returned (Continue or Stop) or that were skipped. */
  done: Set<string>;
  compensations: string[];
  compensationErrors: unknown[];
  finishers: RunOutcome[];
  events: OrkaEvent[];
  /** Index into `events` at the moment the run's signal was aborted. */
  abortedAtEvent: number | undefined;
  /** Problems found while the run was going (late calls, unmet dependencies). */
  problems: string[];
  settled: boolean;
  result?: RunResult<object>;
  error?: unknown;
}

async function pace(p: Pace): Promise<void> {
  if (p.kind === 'micro') for (let i = 0; i < p.turns; i++) await Promise.resolve();
  else if (p.kind === 'timer') await new Promise((resolve) => setTimeout(resolve, p.ms));
}

async function runScenario(sc: Scenario): Promise<Observed> {
  const n = sc.steps.length;
  const o: Observed = {
    invocations: new Array<number>(n).fill(0),
    succeeded: new Set(),
    done: new Set(),
    compensations: [],
    compensationErrors: [],
    finishers: [],
    events: [],
    abortedAtEvent: undefined,
    problems: [],
    settled: false,
  };
  const controller = new AbortController();
  const p = new Pipeline<object>(
    'prop',
    sc.steps.map((_, i) => name(i)),
  );
  sc.steps.forEach((spec, i) => {
    const s = name(i);
    p.onStep(s, async (_ctx, run) => {
      if (o.settled) o.problems.push(`${s} ran after the run settled`);
      for (const d of effectiveDeps(spec, i)) {
        if (!o.done.has(name(d))) o.problems.push(`${s} started before its dependency ${name(d)} completed`);
      }
      const invocation = ++o.invocations[i]!;
      await pace(spec.pace);
      // A step still running when another one failed has had its signal aborted (contract, "Closer still").
      if (failedInEvents(o.events) && !run.signal.aborted) {
        o.problems.push(`${s} was running when a step failed, but its signal was not aborted`);
      }
      if (invocation <= spec.failures) throw new PlannedFailure(s, invocation);
      if (sc.cancelAt === i && !controller.signal.aborted) {
        o.abortedAtEvent = o.events.length;
        controller.abort(new Error(`cancelled in ${s}`));
      }
      o.done.add(s);
      if (spec.stop) return Stop;
      o.succeeded.add(s);
      return undefined;
    });
    if (spec.attempts !== undefined)
      p.stepOptions(s, { retry: { attempts: spec.attempts, delayMs: 0, jitter: false } });
    if (spec.after !== undefined) p.stepOptions(s, { after: spec.after.map(name) });
    p.skipIf(s, () => {
      if (spec.skipThrows) throw new PlannedFailure(s, 0);
      if (spec.skip) o.done.add(s);
      return spec.skip;
    });
    p.compensate(s, async () => {
      if (o.settled) o.problems.push(`compensation of ${s} ran after the run settled`);
      o.compensations.push(s);
      await Promise.resolve();
      if (spec.compensationThrows) {
        const err = new PlannedCompensationFailure(`undo ${s} failed`);
        o.compensationErrors.push(err);
        throw err;
      }
    });
  });
  p.onFinish(async (_ctx, outcome) => {
    if (o.settled) o.problems.push('a finisher ran after the run settled');
    o.finishers.push(outcome);
    await Promise.resolve();
  });

  try {
    o.result = await p.run({}, { signal: controller.signal, observer: (e) => o.events.push(e) });
  } catch (err) {
    o.error = err;
  }
  o.settled = true;
  // Anything still scheduled (a retry, a step start, a compensation) would show up now.
  const snapshot = {
    invocations: [...o.invocations],
    compensations: o.compensations.length,
    events: o.events.length,
  };
  await new Promise((resolve) => setTimeout(resolve, 3));
  if (o.invocations.some((count, i) => count !== snapshot.invocations[i]))
    o.problems.push('a handler ran after the run settled');
  if (o.compensations.length !== snapshot.compensations)
    o.problems.push('a compensation ran after the run settled');
  if (o.events.length !== snapshot.events) o.problems.push('events came after the run settled');
  return o;
}

/** Whether a step has failed with a planned failure, by the events so far. */
function failedInEvents(events: OrkaEvent[]): boolean {
  return events.some((e) => e.type === 'step.failed' && e.error instanceof PlannedFailure);
}

/** The run's records, whether it resolved or rejected. */
function recordsOf(o: Observed): StepRecord[] {
  if (o.result) return o.result.steps;
  return runFailure(o.error)?.steps ?? [];
}

function check(sc: Scenario, o: Observed): void {
  const records = recordsOf(o);
  const byStep = new Map(records.map((r) => [r.step, r]));
  const stepEvents = (type: string) => o.events.filter((e) => e.type === type);

  // Nothing happened late, and no handler saw an unmet dependency.
  expect(o.problems).toEqual([]);

  // R1: a step runs at most `attempts` times, and its record counts the runs.
  sc.steps.forEach((spec, i) => {
    const s = name(i);
    expect(o.invocations[i]).toBeLessThanOrEqual(spec.attempts ?? 1);
    const r = byStep.get(s);
    if (r === undefined || r.status === 'skipped') expect(o.invocations[i]).toBe(0);
    else if (spec.skipThrows) expect(o.invocations[i]).toBe(0);
    else expect(r.attempts).toBe(o.invocations[i]);
    // Each retry emits one step.retry with the failed attempt's number, 1, 2, ...
    const retries = stepEvents('step.retry').filter((e) => e.step === s) as Extract<
      OrkaEvent,
      { type: 'step.retry' }
    >[];
    expect(retries.map((e) => e.attempt)).toEqual(retries.map((_, k) => k + 1));
    if (o.invocations[i]! > 0) expect([o.invocations[i]! - 1, o.invocations[i]!]).toContain(retries.length);
  });

  // R4: no step starts before its dependencies have completed (or were skipped), by the events too.
  const endedAt = new Map<string, number>();
  o.events.forEach((e, k) => {
    if ((e.type === 'step.completed' || e.type === 'step.skipped') && e.step !== undefined)
      endedAt.set(e.step, k);
    if (e.type === 'step.started') {
      const i = Number(e.step!.slice(1));
      for (const d of effectiveDeps(sc.steps[i]!, i)) {
        const at = endedAt.get(name(d));
        expect([e.step, name(d), at !== undefined && at < k]).toEqual([e.step, name(d), true]);
      }
    }
  });

  // R4: records come in the order the steps started (or were skipped); each step at most once.
  // (A step whose skip predicate throws gets a record and a step.failed, but no step.started.)
  const reached: string[] = [];
  for (const e of o.events) {
    const reachedNow =
      e.type === 'step.started' ||
      e.type === 'step.skipped' ||
      (e.type === 'step.failed' && !reached.includes(e.step));
    if (reachedNow) reached.push(e.step);
  }
  expect(records.map((r) => r.step)).toEqual(reached);

  // K2, K3, K10, R4: after a Stop, the first failure or the abort, no step starts or is skipped.
  const firstFailure = o.events.findIndex(
    (e) => e.type === 'step.failed' && (e as { error: unknown }).error instanceof PlannedFailure,
  );
  const firstStop = o.events.findIndex((e) => e.type === 'step.stopped');
  const marks = [firstFailure, firstStop, o.abortedAtEvent ?? -1].filter((k) => k >= 0);
  if (marks.length > 0) {
    const cut = Math.min(...marks);
    const late = o.events
      .slice(cut + 1)
      .filter((e) => e.type === 'step.started' || e.type === 'step.skipped');
    expect(late.map((e) => e.step)).toEqual([]);
  }

  // The outcome matches the first failure, else the cancellation, else a Stop.
  const failures = stepEvents('step.failed')
    .map((e) => (e as { error: unknown }).error)
    .filter((err): err is PlannedFailure => err instanceof PlannedFailure);
  if (failures.length > 0) {
    expect(o.result).toBeUndefined();
    if (o.compensationErrors.length === 0) {
      expect(o.error).toBe(failures[0]);
    } else {
      expect(o.error).toBeInstanceOf(CompensationError);
      expect((o.error as CompensationError).original).toBe(failures[0]);
      expect((o.error as CompensationError).compensationErrors).toEqual(o.compensationErrors);
    }
    expect(runFailure(o.error)?.step).toBe(failures[0]!.step);
  } else {
    expect(o.error).toBeUndefined();
    const expected = o.abortedAtEvent !== undefined ? 'cancelled' : firstStop >= 0 ? 'stopped' : 'completed';
    expect(o.result?.outcome).toBe(expected);
    if (expected === 'completed') {
      expect(records.map((r) => r.step).sort()).toEqual(sc.steps.map((_, i) => name(i)).sort());
    }
  }

  // R3: compensations run exactly for the completed steps of a failed run, in reverse order of the
  // records, once each; a successful, stopped or cancelled run compensates nothing.
  if (failures.length > 0) {
    const completed = records.filter((r) => o.succeeded.has(r.step)).map((r) => r.step);
    expect(o.compensations).toEqual([...completed].reverse());
    for (const r of records) {
      if (o.succeeded.has(r.step)) {
        const threw = sc.steps[Number(r.step.slice(1))]!.compensationThrows;
        expect([r.step, r.status]).toEqual([r.step, threw ? 'completed' : 'compensated']);
        if (threw) expect(r.compensationError).toBeInstanceOf(PlannedCompensationFailure);
      } else {
        expect([r.step, r.status]).not.toEqual([r.step, 'compensated']);
      }
    }
  } else {
    expect(o.compensations).toEqual([]);
  }

  // K8: finishers run exactly once, with the run's outcome.
  expect(o.finishers).toHaveLength(1);
  expect(o.finishers[0]!.status).toBe(o.result ? o.result.outcome : 'failed');
  if (!o.result) expect(o.finishers[0]!.error).toBe(o.error);
}

describe('property: random pipelines keep the resilience invariants', () => {
  it('R1 R3 R4 (with K2 K3 K8 K10) hold over 200 random pipelines', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const observed = await runScenario(sc);
        check(sc, observed);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('R4 the generator reaches concurrency, Stop, failure, cancellation and skips (sanity check of the property above)', () => {
    const samples = fc.sample(scenarioArb, { numRuns: 400, seed: 42 });
    const some = (pred: (sc: Scenario) => boolean) => samples.some(pred);

    expect(
      some((sc) =>
        sc.steps.some((s, i) => s.after !== undefined && (s.after.length !== 1 || s.after[0] !== i - 1)),
      ),
    ).toBe(true);
    expect(some((sc) => sc.steps.every((s) => s.after === undefined) && sc.steps.length > 3)).toBe(true);
    expect(some((sc) => sc.steps.some((s) => s.stop))).toBe(true);
    expect(some((sc) => sc.steps.some((s) => s.failures >= (s.attempts ?? 1)))).toBe(true);
    expect(
      some((sc) =>
        sc.steps.some((s) => s.attempts !== undefined && s.failures > 0 && s.failures < s.attempts),
      ),
    ).toBe(true);
    expect(some((sc) => sc.cancelAt !== undefined)).toBe(true);
    expect(some((sc) => sc.steps.some((s) => s.skip))).toBe(true);
    expect(some((sc) => sc.steps.some((s) => s.compensationThrows))).toBe(true);
    expect(some((sc) => sc.steps.some((s) => s.skipThrows))).toBe(true);
  });
});
