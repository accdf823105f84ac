import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, FanOutPolicyError, OrkaError, runFailure } from '../src/index.js';
import { rejectionOf, settle, sleep } from './helpers.js';

interface Item {
  n: number;
  delay?: number;
  fail?: Error;
  stop?: boolean;
  doubled?: number;
  abort?: AbortController;
}

interface Batch {
  items: Item[];
  log: string[];
}

interface Outcome {
  status: string;
  result?: { runId: string; outcome: string; context: unknown; pipeline: string };
  error?: unknown;
}

/** The sub-pipeline run once per item, tracking how many run at once. */
function worker(track: {
  running: number;
  peak: number;
  started: number[];
  parents: Array<string | undefined>;
  runIds: string[];
}): Pipeline<Item> {
  const sub = new Pipeline<Item>('worker', ['work']);
  sub.onStep('work', async (item, run) => {
    track.running++;
    track.peak = Math.max(track.peak, track.running);
    track.started.push(item.n);
    track.parents.push(run.parentRunId);
    track.runIds.push(run.runId);
    try {
      if (item.abort) item.abort.abort();
      if (item.delay !== undefined) await sleep(item.delay);
      if (item.fail) throw item.fail;
      item.doubled = item.n * 2;
      return item.stop ? Stop : undefined;
    } finally {
      track.running--;
    }
  });
  return sub;
}

function newTrack() {
  return {
    running: 0,
    peak: 0,
    started: [] as number[],
    parents: [] as Array<string | undefined>,
    runIds: [] as string[],
  };
}

type Policy = 'collectAll' | 'failFast' | 'requireAll' | { atLeast: number };

/** A parent pipeline whose one step fans out over ctx.items and stores what fanOut gave. */
function batch(
  sub: Pipeline<Item>,
  options: { policy?: Policy; concurrency?: number },
  sink: { value?: Outcome[]; error?: unknown },
  catchErrors = true,
): Pipeline<Batch> {
  const p = new Pipeline<Batch>('batch', ['fan', 'after']);
  p.onStep('fan', async (ctx, run) => {
    if (!catchErrors) {
      sink.value = (await run.fanOut(sub, ctx.items, options)) as unknown as Outcome[];
      return;
    }
    const s = await settle(run.fanOut(sub, ctx.items, options));
    if (s.ok) sink.value = s.value as unknown as Outcome[];
    else sink.error = s.error;
  });
  p.onStep('after', (ctx) => {
    ctx.log.push('after');
  });
  return p;
}

function resultsOf(error: unknown): Outcome[] {
  return (error as { results: Outcome[] }).results;
}

describe('K14 fanOut', () => {
  it('K14 runs one sub-run per item (the item is the sub-input) and resolves to results in input order', async () => {
    const track = newTrack();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [
      { n: 1, delay: 6 },
      { n: 2, delay: 0 },
      { n: 3, delay: 3 },
    ];

    const result = await batch(worker(track), { concurrency: 3 }, sink).run({ items, log: [] });

    expect(result.outcome).toBe('completed');
    expect(sink.error).toBeUndefined();
    expect(sink.value!.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(sink.value!.map((r) => (r.result!.context as Item).n)).toEqual([1, 2, 3]);
    expect(sink.value!.map((r) => (r.result!.context as Item).doubled)).toEqual([2, 4, 6]);
    expect(
      sink.value!.every((r) => r.result!.outcome === 'completed' && r.result!.pipeline === 'worker'),
    ).toBe(true);
  });

  it('K14 at most `concurrency` sub-runs run at once, and that many do run together', async () => {
    const track = newTrack();
    const sink: { value?: Outcome[] } = {};
    const items: Item[] = [1, 2, 3, 4, 5, 6].map((n) => ({ n, delay: 3 }));

    await batch(worker(track), { concurrency: 2 }, sink).run({ items, log: [] });

    expect(track.peak).toBe(2);
    expect(track.started.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sink.value).toHaveLength(6);
  });

  it('K14 concurrency 1 runs the items one after another in input order', async () => {
    const track = newTrack();
    const sink: { value?: Outcome[] } = {};
    const items: Item[] = [
      { n: 1, delay: 3 },
      { n: 2, delay: 0 },
      { n: 3, delay: 1 },
    ];

    await batch(worker(track), { concurrency: 1 }, sink).run({ items, log: [] });

    expect(track.peak).toBe(1);
    expect(track.started).toEqual([1, 2, 3]);
  });

  it('K14 each item is a sub-run with its own runId and the parent runId as parentRunId', async () => {
    const track = newTrack();
    const sink: { value?: Outcome[] } = {};

    await batch(worker(track), { concurrency: 2 }, sink).run(
      { items: [{ n: 1 }, { n: 2 }], log: [] },
      { runId: 'FAN' },
    );

    expect(track.parents).toEqual(['FAN', 'FAN']);
    expect(new Set(track.runIds).size).toBe(2);
    expect(track.runIds).not.toContain('FAN');
    expect(sink.value!.map((r) => r.result!.runId).sort()).toEqual([...track.runIds].sort());
  });

  it('K14 collectAll (the default) resolves with every outcome, failures and stops included', async () => {
    const boom = new Error('item 2 failed');
    const track = newTrack();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1 }, { n: 2, fail: boom }, { n: 3, stop: true }, { n: 4, delay: 2 }];

    const result = await batch(worker(track), { concurrency: 2 }, sink).run({ items, log: [] });

    expect(sink.error).toBeUndefined();
    expect(sink.value!.map((r) => r.status)).toEqual(['completed', 'failed', 'stopped', 'completed']);
    expect(sink.value![1]!.error).toBe(boom);
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['after']);
  });

  it("K14 an explicit 'collectAll' policy behaves like the default", async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1, fail: new Error('x') }, { n: 2 }];

    await batch(worker(newTrack()), { policy: 'collectAll', concurrency: 1 }, sink).run({ items, log: [] });

    expect(sink.value!.map((r) => r.status)).toEqual(['failed', 'completed']);
  });

  it('K14 failFast starts no new item after a failure: unstarted items are not-started, and the policy is unmet', async () => {
    const boom = new Error('fail fast');
    const track = newTrack();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1 }, { n: 2, fail: boom }, { n: 3 }, { n: 4 }];

    await batch(worker(track), { policy: 'failFast', concurrency: 1 }, sink).run({ items, log: [] });

    expect(track.started).toEqual([1, 2]);
    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    const results = resultsOf(sink.error);
    expect(results.map((r) => r.status)).toEqual(['completed', 'failed', 'not-started', 'not-started']);
    expect(results[1]!.error).toBe(boom);
  });

  it('K14 failFast lets the sub-runs already in flight finish', async () => {
    const track = newTrack();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [
      { n: 1, delay: 8 },
      { n: 2, fail: new Error('quick failure') },
      { n: 3 },
      { n: 4 },
    ];

    await batch(worker(track), { policy: 'failFast', concurrency: 2 }, sink).run({ items, log: [] });

    const results = resultsOf(sink.error);
    expect(results.map((r) => r.status)).toEqual(['completed', 'failed', 'not-started', 'not-started']);
    expect((results[0]!.result!.context as Item).doubled).toBe(2);
    expect(track.started.sort()).toEqual([1, 2]);
  });

  it('K14 requireAll resolves when every item completed', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};

    await batch(worker(newTrack()), { policy: 'requireAll', concurrency: 2 }, sink).run({
      items: [{ n: 1 }, { n: 2 }],
      log: [],
    });

    expect(sink.error).toBeUndefined();
    expect(sink.value!.map((r) => r.status)).toEqual(['completed', 'completed']);
  });

  it('K14 requireAll is unmet when an item stopped: FanOutPolicyError with the results', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};

    await batch(worker(newTrack()), { policy: 'requireAll', concurrency: 2 }, sink).run({
      items: [{ n: 1 }, { n: 2, stop: true }, { n: 3 }],
      log: [],
    });

    expect(sink.value).toBeUndefined();
    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    expect(sink.error).toBeInstanceOf(OrkaError);
    expect((sink.error as FanOutPolicyError).code).toBe('FAN_OUT_POLICY_UNMET');
    expect(resultsOf(sink.error).map((r) => r.status)).toEqual(['completed', 'stopped', 'completed']);
  });

  it('K14 requireAll over items that all stopped is unmet', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};

    await batch(worker(newTrack()), { policy: 'requireAll' }, sink).run({
      items: [
        { n: 1, stop: true },
        { n: 2, stop: true },
      ],
      log: [],
    });

    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    expect(resultsOf(sink.error).map((r) => r.status)).toEqual(['stopped', 'stopped']);
  });

  it('K14 requireAll is unmet when an item failed', async () => {
    const boom = new Error('one failed');
    const sink: { value?: Outcome[]; error?: unknown } = {};

    await batch(worker(newTrack()), { policy: 'requireAll', concurrency: 1 }, sink).run({
      items: [{ n: 1 }, { n: 2, fail: boom }],
      log: [],
    });

    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    const results = resultsOf(sink.error);
    expect(results[0]!.status).toBe('completed');
    expect(results[1]).toMatchObject({ status: 'failed', error: boom });
  });

  it('K14 { atLeast: n } is met when at least n items completed', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1 }, { n: 2, fail: new Error('x') }, { n: 3 }];

    await batch(worker(newTrack()), { policy: { atLeast: 2 }, concurrency: 3 }, sink).run({ items, log: [] });

    expect(sink.error).toBeUndefined();
    expect(sink.value!.map((r) => r.status)).toEqual(['completed', 'failed', 'completed']);
  });

  it('K14 { atLeast: n } is unmet when fewer than n items completed', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1 }, { n: 2, fail: new Error('x') }, { n: 3, stop: true }];

    await batch(worker(newTrack()), { policy: { atLeast: 2 }, concurrency: 3 }, sink).run({ items, log: [] });

    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    expect(resultsOf(sink.error).map((r) => r.status)).toEqual(['completed', 'failed', 'stopped']);
  });

  it('K14 an unmet policy that the handler does not catch fails the step and the run', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const p = batch(worker(newTrack()), { policy: 'requireAll', concurrency: 1 }, sink, false);
    const ctx: Batch = { items: [{ n: 1, stop: true }], log: [] };

    const err = await rejectionOf(p.run(ctx, { runId: 'unmet' }));

    expect(err).toBeInstanceOf(FanOutPolicyError);
    expect(resultsOf(err).map((r) => r.status)).toEqual(['stopped']);
    expect(runFailure(err)).toMatchObject({ pipeline: 'batch', step: 'fan', rootRunId: 'unmet' });
    expect(ctx.log).toEqual([]);
  });

  it('K14 an unmet policy caught by the handler lets the run go on', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const p = batch(worker(newTrack()), { policy: 'requireAll', concurrency: 1 }, sink, true);

    const result = await p.run({ items: [{ n: 1, stop: true }], log: [] });

    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['after']);
  });

  it('K14 an empty item list resolves to an empty array', async () => {
    const sink: { value?: Outcome[]; error?: unknown } = {};

    await batch(worker(newTrack()), { policy: 'collectAll' }, sink).run({ items: [], log: [] });

    expect(sink.value).toEqual([]);
  });

  it("K14 fan-out sub-runs share the parent's cancellation: after the abort no further item starts and the run ends cancelled", async () => {
    const controller = new AbortController();
    const track = newTrack();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1, abort: controller }, { n: 2 }, { n: 3 }];

    const result = await batch(worker(track), { concurrency: 1 }, sink, false).run(
      { items, log: [] },
      { signal: controller.signal },
    );

    expect(track.started).toEqual([1]);
    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual([]);
  });

  it('K14 a cancelled fan-out is unmet even under collectAll: FanOutPolicyError with the item results', async () => {
    const controller = new AbortController();
    const sink: { value?: Outcome[]; error?: unknown } = {};
    const items: Item[] = [{ n: 1, abort: controller }, { n: 2 }];

    await batch(worker(newTrack()), { policy: 'collectAll', concurrency: 1 }, sink).run(
      { items, log: [] },
      { signal: controller.signal },
    );

    expect(sink.value).toBeUndefined();
    expect(sink.error).toBeInstanceOf(FanOutPolicyError);
    const results = resultsOf(sink.error);
    expect(results).toHaveLength(2);
    expect(results[0]!.status).toBe('cancelled');
    expect(['cancelled', 'not-started']).toContain(results[1]!.status);
  });
});
