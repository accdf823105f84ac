import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { Observable, lastValueFrom, toArray } from 'rxjs';
import {
  OrkaValidationError,
  PipelineNotFoundError,
  PipelineRunner,
  RunTimeoutError,
  runFailure,
  type OrkaEvent,
  type RunOutcome,
} from '../src/index.js';
import {
  FailingPipeline,
  HoldPipeline,
  OrderContext,
  OrderPipeline,
  ParentPipeline,
  RunnerModule,
  UnprovidedPipeline,
  calls,
  type HoldContext,
  type ParentContext,
} from './fixtures/n3-runner.js';

let moduleRef: TestingModule;
let runner: PipelineRunner;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({ imports: [RunnerModule] }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  runner = moduleRef.get(PipelineRunner);
});

afterAll(() => moduleRef.close());

beforeEach(() => {
  calls.length = 0;
});

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('N3 PipelineRunner.run', () => {
  it('N3 run(Class, input) resolves to the RunResult, with the input turned into the context class', async () => {
    const result = await runner.run(OrderPipeline, { sku: 'tea', quantity: 4 });
    expect(result).toMatchObject({ pipeline: 'order', outcome: 'completed' });
    expect(typeof result.runId).toBe('string');
    expect(typeof result.durationMs).toBe('number');
    expect(result.context).toBeInstanceOf(OrderContext);
    // Typed without a cast: these compile only because context is OrderContext.
    const total: number | undefined = result.context.total;
    const note: string | undefined = result.context.note;
    expect(total).toBe(8);
    expect(note).toBe('thanks for 4');
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['price', 'completed'],
      ['note', 'completed'],
    ]);
  });

  it('N3 run(name, input) runs the same pipeline', async () => {
    const result = await runner.run('order', { sku: 'tea', quantity: 20 });
    expect(result.pipeline).toBe('order');
    expect(result.context).toBeInstanceOf(OrderContext);
    expect((result.context as OrderContext).total).toBe(40);
    expect(result.steps[1]).toMatchObject({
      step: 'note',
      status: 'skipped',
      reason: 'bulk orders get no note',
    });
  });

  it('N3 a run of an unknown name rejects with PipelineNotFoundError listing the registered names', async () => {
    const err = await caught(runner.run('nope', {}));
    expect(err).toBeInstanceOf(PipelineNotFoundError);
    const message = (err as Error).message;
    for (const name of ['order', 'hold', 'failing', 'parent']) expect(message).toContain(`"${name}"`);
    expect(message).toContain('nope');
  });

  it('N3 a run of a @Pipeline class that no module provides rejects with PipelineNotFoundError', async () => {
    const err = await caught(runner.run(UnprovidedPipeline, {}));
    expect(err).toBeInstanceOf(PipelineNotFoundError);
    expect((err as Error).message).toContain('UnprovidedPipeline');
    expect((err as Error).message).toContain('"order"');
  });

  it('N3 the option runId becomes the run id, in the result and in every event', async () => {
    const events: OrkaEvent[] = [];
    const result = await runner.run(
      OrderPipeline,
      { sku: 'tea', quantity: 1 },
      { runId: 'n3-run-42', observer: (e) => events.push(e) },
    );
    expect(result.runId).toBe('n3-run-42');
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.runId))).toEqual(new Set(['n3-run-42']));
  });

  it('N3 the option observer receives the run events in order', async () => {
    const events: OrkaEvent[] = [];
    const result = await runner.run(
      OrderPipeline,
      { sku: 'tea', quantity: 1 },
      { observer: (e) => events.push(e) },
    );
    expect(events.map((e) => [e.type, e.step])).toEqual([
      ['run.started', undefined],
      ['step.started', 'price'],
      ['step.completed', 'price'],
      ['step.started', 'note'],
      ['step.completed', 'note'],
      ['run.finished', undefined],
    ]);
    expect(events.at(-1)).toMatchObject({ outcome: 'completed', runId: result.runId, pipeline: 'order' });
  });

  it('N3 the option deadlineMs reaches the kernel: the run rejects with RunTimeoutError', async () => {
    const input: HoldContext = { log: [], outcomes: [] };
    const err = await caught(runner.run(HoldPipeline, input, { deadlineMs: 10 }));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect((err as RunTimeoutError).budgetMs).toBe(10);
    expect(runFailure(err)).toMatchObject({ pipeline: 'hold', step: 'wait' });
    expect(input.log).toEqual(['first', 'wait']);
    expect(input.outcomes![0]!.status).toBe('failed');
  });

  it('N3 the option signal reaches the kernel: a signal aborted before the run gives outcome cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const events: OrkaEvent[] = [];
    const input: HoldContext = { log: [] };
    const result = await runner.run(HoldPipeline, input, {
      signal: controller.signal,
      observer: (e) => events.push(e),
    });
    expect(result.outcome).toBe('cancelled');
    expect(result.steps).toEqual([]);
    expect(input.log).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['run.started', 'run.finished']);
  });

  it('N3 the option signal reaches the handlers: aborting during a run cancels it', async () => {
    const controller = new AbortController();
    const input: HoldContext = { log: [], onFirst: () => controller.abort(), outcomes: [] };
    const result = await runner.run(HoldPipeline, input, { signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(input.log).not.toContain('last');
    expect(input.outcomes![0]!.status).toBe('cancelled');
  });

  it('N3 the step error reaches the caller unchanged', async () => {
    const error = new Error('boom');
    await expect(runner.run(FailingPipeline, { error })).rejects.toBe(error);
  });
});

describe('N3 PipelineRunner.run$', () => {
  it('N3 run$ returns an Observable that emits the events in order and completes after the last', async () => {
    const run$ = runner.run$(OrderPipeline, { sku: 'tea', quantity: 2 });
    expect(run$).toBeInstanceOf(Observable);
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      run$.subscribe({
        next: (e) => seen.push(`${e.type}${e.step ? `:${e.step}` : ''}`),
        error: reject,
        complete: () => {
          seen.push('complete');
          resolve();
        },
      });
    });
    expect(seen).toEqual([
      'run.started',
      'step.started:price',
      'step.completed:price',
      'step.started:note',
      'step.completed:note',
      'run.finished',
      'complete',
    ]);
  });

  it('N3 run$ by name emits the same events', async () => {
    const events = await lastValueFrom(runner.run$('order', { sku: 'tea', quantity: 2 }).pipe(toArray()));
    expect(events[0]!.type).toBe('run.started');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'completed', pipeline: 'order' });
  });

  it("N3 run$ errors with the run's error after emitting the failure events", async () => {
    const error = new Error('boom in run$');
    const seen: OrkaEvent[] = [];
    const err = await new Promise<unknown>((resolve) => {
      runner.run$(FailingPipeline, { error }).subscribe({
        next: (e) => seen.push(e),
        error: resolve,
        complete: () => resolve('completed instead of erroring'),
      });
    });
    expect(err).toBe(error);
    expect(seen.map((e) => e.type)).toEqual([
      'run.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.failed',
      'run.finished',
    ]);
    expect(seen.at(-1)).toMatchObject({ outcome: 'failed' });
  });

  it('N3 run$ of an unknown pipeline errors with PipelineNotFoundError', async () => {
    await expect(lastValueFrom(runner.run$('nope', {}))).rejects.toBeInstanceOf(PipelineNotFoundError);
  });

  it("N3 run$ carries the sub-runs' events, linked by parentRunId, and the per-run observer still gets them", async () => {
    const observed: OrkaEvent[] = [];
    const events = await lastValueFrom(
      runner
        .run$(ParentPipeline, { sku: 'tea' }, { runId: 'n3-parent', observer: (e) => observed.push(e) })
        .pipe(toArray()),
    );
    const sub = events.filter((e) => e.pipeline === 'order');
    expect(sub.map((e) => e.type)).toContain('run.finished');
    expect(new Set(sub.map((e) => e.parentRunId))).toEqual(new Set(['n3-parent']));
    expect(sub.every((e) => e.runId !== 'n3-parent')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', runId: 'n3-parent' });
    expect(observed).toEqual(events);
  });

  it('N3 run$ emits every event even when the per-run observer throws', async () => {
    const events = await lastValueFrom(
      runner
        .run$(
          OrderPipeline,
          { sku: 'tea', quantity: 2 },
          {
            observer: () => {
              throw new Error('a careless observer');
            },
          },
        )
        .pipe(toArray()),
    );
    expect(events.map((e) => e.type)).toEqual([
      'run.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'run.finished',
    ]);
  });

  it('N3 run$ passes the signal option: an aborted signal completes with a cancelled run', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await lastValueFrom(
      runner.run$(HoldPipeline, { log: [] }, { signal: controller.signal }).pipe(toArray()),
    );
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'cancelled' });
  });

  /** Subscribes, and unsubscribes as soon as the `wait` step has started. */
  function unsubscribeDuringWait(options: { cancelOnUnsubscribe?: boolean; signal?: AbortSignal }) {
    const outcomes: RunOutcome[] = [];
    const ctx: HoldContext = { log: [], outcomes };
    const finished = new Promise<void>((resolve) => {
      const unsubscribe = runner.observe((e) => {
        if (e.type === 'run.finished' && e.pipeline === 'hold') {
          unsubscribe();
          resolve();
        }
      });
    });
    let left!: () => void;
    const unsubscribed = new Promise<void>((resolve) => (left = resolve));
    // The first events come while subscribe() is still running: unsubscribe once it has returned.
    const subscription = runner.run$(HoldPipeline, ctx, options).subscribe({
      next: (e) => {
        if (e.type === 'step.started' && e.step === 'wait')
          queueMicrotask(() => {
            subscription.unsubscribe();
            left();
          });
      },
    });
    return { ctx, outcomes, subscription, finished, unsubscribed };
  }

  it('N3 unsubscribing from run$ stops the events, not the run: by default a run is never cut halfway', async () => {
    const own = new AbortController();
    const { ctx, outcomes, subscription, finished, unsubscribed } = unsubscribeDuringWait({
      signal: own.signal,
    });
    await unsubscribed;
    expect(subscription.closed).toBe(true);
    // Let any cancellation the unsubscribe could have caused reach the run.
    await new Promise((resolve) => setImmediate(resolve));
    // The run is still waiting in its step: nothing cancelled it.
    expect(ctx.log).toEqual(['first', 'wait']);
    expect(outcomes).toEqual([]);
    own.abort();
    await finished;
    expect(outcomes.map((o) => o.status)).toEqual(['cancelled']);
  });

  it('N3 run$ with cancelOnUnsubscribe cancels the run when the subscriber leaves', async () => {
    const { ctx, outcomes, finished } = unsubscribeDuringWait({ cancelOnUnsubscribe: true });
    await finished;
    expect(outcomes.map((o) => o.status)).toEqual(['cancelled']);
    expect(ctx.log).toEqual(['first', 'wait']);
  });
});

describe('N3 plan, describe, toMermaid, pipelines', () => {
  it('N3 plan returns a Promise of the dry run, and runs nothing', async () => {
    const pipeline = moduleRef.get(OrderPipeline);
    const price = jest.spyOn(pipeline, 'price');
    const note = jest.spyOn(pipeline, 'note');
    try {
      const planned = runner.plan(OrderPipeline, { sku: 'tea', quantity: 12 });
      expect(planned).toBeInstanceOf(Promise);
      expect(await planned).toEqual([
        { step: 'price', action: 'run' },
        { step: 'note', action: 'skip', reason: 'bulk orders get no note' },
      ]);
      expect(await runner.plan('order', { sku: 'tea', quantity: 1 })).toEqual([
        { step: 'price', action: 'run' },
        { step: 'note', action: 'run' },
      ]);
      expect(price).not.toHaveBeenCalled();
      expect(note).not.toHaveBeenCalled();
      expect(calls).toEqual([]);
    } finally {
      price.mockRestore();
      note.mockRestore();
    }
  });

  it('N3 plan validates the input first: invalid input rejects with OrkaValidationError', async () => {
    const err = await caught(runner.plan(OrderPipeline, { sku: 'tea', quantity: 0 }));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).messages).toEqual([expect.stringContaining('quantity')]);
  });

  it('N3 plan of an unknown pipeline rejects with PipelineNotFoundError', async () => {
    const planned = runner.plan('nope', {});
    expect(planned).toBeInstanceOf(Promise);
    await expect(planned).rejects.toBeInstanceOf(PipelineNotFoundError);
  });

  it('N3 describe(Class) and describe(name) give the JSON-serialisable definition', () => {
    const byClass = runner.describe(OrderPipeline);
    expect(runner.describe('order')).toEqual(byClass);
    expect(JSON.parse(JSON.stringify(byClass))).toEqual(byClass);
    expect(byClass.name).toBe('order');
    expect(byClass.steps.map((s) => s.name)).toEqual(['price', 'note']);
    const [price, note] = byClass.steps;
    expect(price).toMatchObject({
      after: [],
      timeoutMs: 1000,
      optional: false,
      branches: [],
      subPipelines: [],
    });
    expect(price!.retry).toMatchObject({ attempts: 2, delayMs: 0 });
    expect(note).toMatchObject({ after: ['price'], optional: false });
  });

  it('N3 toMermaid gives a Mermaid flowchart naming the steps', () => {
    const chart = runner.toMermaid(OrderPipeline);
    expect(typeof chart).toBe('string');
    expect(chart.trimStart().startsWith('flowchart')).toBe(true);
    expect(chart).toContain('price');
    expect(chart).toContain('note');
    expect(runner.toMermaid('order')).toBe(chart);
  });

  it('N3 describe of an unknown pipeline throws PipelineNotFoundError', () => {
    expect(() => runner.describe('nope')).toThrow(PipelineNotFoundError);
    expect(() => runner.toMermaid(UnprovidedPipeline)).toThrow(PipelineNotFoundError);
  });

  it('N3 pipelines() lists the names of the registered pipelines', () => {
    expect([...runner.pipelines()].sort()).toEqual(['failing', 'hold', 'order', 'parent']);
  });

  it('N3 a sub-run started with a class returns its typed result to the parent', async () => {
    const result = await runner.run(ParentPipeline, { sku: 'tea' });
    const ctx: ParentContext = result.context;
    expect(ctx.total).toBe(6);
    expect(ctx.subRunId).toEqual(expect.any(String));
    expect(ctx.subRunId).not.toBe(result.runId);
  });
});
