import { describe, expect, it } from '@jest/globals';
import { DurableRunner, MemoryRunStore, Pipeline, RunFailedError, runFailure } from '../../src/index.js';
import { checkRunStore } from '../../src/testing/index.js';

interface Order {
  total: number;
  charged?: string;
  log: string[];
}

describe('durable basics on a MemoryRunStore', () => {
  it('the memory store passes checkRunStore', async () => {
    await checkRunStore(() => new MemoryRunStore());
  });

  it('D1 D2 a run commits each step and completes; its result and snapshot say so', async () => {
    const store = new MemoryRunStore();
    const p = new Pipeline<Order>('order', ['price', 'charge', 'ship'], { version: '1' });
    p.onStep('price', (ctx) => void (ctx.total = 42));
    p.onStep('charge', (ctx, run) => void (ctx.charged = run.stepKey));
    p.onStep('ship', (ctx) => void ctx.log.push('shipped'));
    const durable = new DurableRunner({ store, pipelines: [p], pollMs: 20 });
    await durable.open();
    const { runId, created } = await durable.start(p, { total: 0, log: [] }, { idempotencyKey: 'o-1' });
    expect(created).toBe(true);
    const result = await durable.result(runId);
    expect(result.outcome).toBe('completed');
    expect(result.context).toEqual({ total: 42, charged: `${runId}:charge`, log: ['shipped'] });
    const snapshot = await durable.get(runId);
    expect(snapshot).toMatchObject({ status: 'completed', version: '1', context: result.context });
    expect(snapshot!.steps.map((s) => [s.step, s.status])).toEqual([
      ['price', 'completed'],
      ['charge', 'completed'],
      ['ship', 'completed'],
    ]);
    expect(await durable.start(p, { total: 0, log: [] }, { idempotencyKey: 'o-1' })).toEqual({
      runId,
      created: false,
    });
    await durable.close();
  });

  it('D6 a failed run rejects with the very error here, and with RunFailedError from another runner', async () => {
    const store = new MemoryRunStore();
    class Declined extends Error {
      readonly code = 'DECLINED';
    }
    const p = new Pipeline<Order>('order', ['charge']);
    p.onStep('charge', () => {
      throw new Declined('card declined');
    });
    const a = new DurableRunner({ store, pipelines: [p], pollMs: 20 });
    await a.open();
    const { runId } = await a.start(p, { total: 1, log: [] });
    const here = await a.result(runId).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(Declined);
    const b = new DurableRunner({ store, pipelines: [p], pollMs: 20 });
    await b.open();
    const there = await b.result(runId).catch((e: unknown) => e);
    expect(there).toBeInstanceOf(RunFailedError);
    expect(there).toMatchObject({
      originalName: 'Declined',
      code: 'DECLINED',
      step: 'charge',
      message: 'card declined',
    });
    expect(runFailure(there)).toMatchObject({ pipeline: 'order', step: 'charge', runId });
    await a.close();
    await b.close();
  });
});
