import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Pipeline, type DurableRunner, type OrkaEvent } from '@orka/core';
import { Servers } from './support.js';

// The runners stand for processes: a client (it executes nothing) and workers, each with its own
// connections to Redis and PostgreSQL. Their pollers are off (an hour): whatever happens between them
// goes through BullMQ.

jest.setTimeout(60_000);

const servers = new Servers();
const runners: DurableRunner[] = [];
beforeAll(() => servers.start());
afterAll(async () => {
  for (const r of runners) await r.close().catch(() => undefined);
  await servers.stop();
});
const keep = (r: DurableRunner) => (runners.push(r), r);

interface Ctx {
  by: string[];
  total?: number;
  approvedBy?: string;
}

/** A pipeline that notes which process ran each step, with a concurrent step and a sub-pipeline. */
function orderPipelines(owner: string) {
  const sub = new Pipeline<Ctx>('pack', ['box'], { version: '1' });
  sub.onStep('box', (ctx) => void ctx.by.push(`box@${owner}`));
  const p = new Pipeline<Ctx>('order', ['price', 'reserve', 'audit', 'ship'], { version: '1' });
  p.onStep('price', (ctx) => void ((ctx.total = 42), ctx.by.push(`price@${owner}`)));
  p.onStep('reserve', (ctx) => void ctx.by.push(`reserve@${owner}`));
  p.onStep('audit', (ctx) => void ctx.by.push(`audit@${owner}`));
  p.stepOptions('audit', { after: ['price'] });
  p.stepOptions('ship', { after: ['reserve', 'audit'] });
  p.onStep('ship', (ctx, run) => run.subPipeline(sub, ctx));
  return [p, sub] as const;
}

describe('S1 S4 a client starts runs that workers execute', () => {
  it('S1 S4 one run is one job: a worker executes every step; the client gets the result and the events, through the queue', async () => {
    const place = servers.fresh();
    const [workerPipeline, workerSub] = orderPipelines('worker');
    const worker = keep(
      servers.runner(place, [workerPipeline, workerSub] as never, { role: 'worker', owner: 'worker' }),
    );
    const [clientPipeline, clientSub] = orderPipelines('client');
    const client = keep(
      servers.runner(place, [clientPipeline, clientSub] as never, { role: 'client', owner: 'client' }),
    );
    await Promise.all([worker.open(), client.open()]);
    const events: OrkaEvent[] = [];
    const { runId } = await client.start(clientPipeline, { by: [] }, { observer: (e) => events.push(e) });
    const result = await client.result<Ctx>(runId);
    expect(result.outcome).toBe('completed');
    expect([...result.context.by].sort()).toEqual([
      'audit@worker',
      'box@worker',
      'price@worker',
      'reserve@worker',
    ]);
    expect(events.map((e) => e.type)).toContain('run.finished');
    expect(events.filter((e) => e.type === 'step.completed').map((e) => e.step)).toEqual(
      expect.arrayContaining(['price', 'reserve', 'audit', 'box', 'ship']),
    );
  });
});

describe('S3 signals and timers across processes', () => {
  it('S3 W1 W3 a signal sent by the client wakes the run on a worker, and a sleep wakes through a delayed job', async () => {
    const place = servers.fresh();
    const build = (owner: string) => {
      const p = new Pipeline<Ctx>('approval', ['ask', 'approval', 'cool_off', 'done'], { version: '1' });
      p.onStep('ask', (ctx) => void ctx.by.push(`ask@${owner}`));
      p.awaitSignal<{ by: string }>('approval', 'approved', {
        merge: (ctx, s) => void (ctx.approvedBy = s.by),
      });
      p.sleep('cool_off', 300);
      p.onStep('done', (ctx) => void ctx.by.push(`done@${owner}`));
      return p;
    };
    const worker = keep(
      servers.runner(place, [build('worker')] as never, { role: 'worker', owner: 'worker' }),
    );
    const client = keep(
      servers.runner(place, [build('client')] as never, { role: 'client', owner: 'client' }),
    );
    await Promise.all([worker.open(), client.open()]);
    const { runId } = await client.start(build('client'), { by: [] });
    while ((await client.get(runId))?.status !== 'waiting') await new Promise((r) => setTimeout(r, 20));
    expect((await client.get(runId))!.waiting).toMatchObject({ signal: 'approved' });
    await client.signal(runId, 'approved', { by: 'ops' });
    const result = await client.result<Ctx>(runId);
    expect(result.context).toMatchObject({ by: ['ask@worker', 'done@worker'], approvedBy: 'ops' });
  });
});

describe('S5 a worker that closes lets its runs go at once', () => {
  it('S5 a worker closed mid-run hands it to another worker, which finishes it long before the lease would have run out', async () => {
    const place = servers.fresh();
    // Ten minutes: a run that only moved on when this lease ran out would time the test out.
    const leaseMs = 600_000;
    let entered!: () => void;
    const inStep = new Promise<void>((resolve) => (entered = resolve));
    const build = (owner: string) => {
      const p = new Pipeline<Ctx>('long', ['first', 'slow', 'last'], { version: '1' });
      p.onStep('first', (ctx) => void ctx.by.push(`first@${owner}`));
      p.onStep('slow', (ctx, run) => {
        ctx.by.push(`slow@${owner}`);
        if (owner !== 'a') return;
        entered();
        // Held until its worker lets the run go (its signal aborts then).
        return new Promise<void>((_, reject) =>
          run.signal.addEventListener('abort', () => reject(run.signal.reason as Error)),
        );
      });
      p.onStep('last', (ctx) => void ctx.by.push(`last@${owner}`));
      return p;
    };
    const a = servers.runner(place, [build('a')] as never, { role: 'worker', owner: 'a', leaseMs });
    const client = keep(
      servers.runner(place, [build('client')] as never, { role: 'client', owner: 'client', leaseMs }),
    );
    await Promise.all([a.open(), client.open()]);
    const { runId } = await client.start(build('client'), { by: [] });
    await inStep;
    const b = keep(servers.runner(place, [build('b')] as never, { role: 'worker', owner: 'b', leaseMs }));
    await b.open();
    await a.close({ releaseAfterMs: 0 });
    const result = await client.result<Ctx>(runId);
    expect(result.context.by).toEqual(['first@a', 'slow@b', 'last@b']);
  });
});
