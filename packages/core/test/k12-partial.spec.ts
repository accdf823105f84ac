import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, StepNotFoundError, OrkaConfigurationError } from '../src/index.js';
import { rejectionOf } from './helpers.js';

interface Ctx {
  log: string[];
  skipC?: boolean;
}

function fiveSteps(name = 'five'): Pipeline<Ctx> {
  const steps = ['a', 'b', 'c', 'd', 'e'];
  const p = new Pipeline<Ctx>(name, steps);
  for (const s of steps) {
    p.beforeStep(s, (ctx) => {
      ctx.log.push(`${s}.before`);
    });
    p.onStep(s, (ctx) => {
      ctx.log.push(s);
    });
  }
  p.skipIf('c', (ctx) => ctx.skipC === true, 'c not wanted');
  return p;
}

describe('K12 partial runs', () => {
  it('K12 runStep runs exactly that step, all its phases, and resolves to a RunResult', async () => {
    const p = fiveSteps();

    const result = await p.runStep('b', { log: [] });

    expect(result.outcome).toBe('completed');
    expect(result.pipeline).toBe('five');
    expect(typeof result.runId).toBe('string');
    expect(result.context.log).toEqual(['b.before', 'b']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([['b', 'completed']]);
  });

  it('K12 runFrom runs from the step to the end, inclusive', async () => {
    const result = await fiveSteps().runFrom('c', { log: [] });

    expect(result.context.log).toEqual(['c.before', 'c', 'd.before', 'd', 'e.before', 'e']);
    expect(result.steps.map((r) => r.step)).toEqual(['c', 'd', 'e']);
  });

  it('K12 runUntil runs from the first step up to the step, inclusive', async () => {
    const result = await fiveSteps().runUntil('c', { log: [] });

    expect(result.context.log).toEqual(['a.before', 'a', 'b.before', 'b', 'c.before', 'c']);
    expect(result.steps.map((r) => r.step)).toEqual(['a', 'b', 'c']);
  });

  it('K12 runFrom the first step and runUntil the last step run everything', async () => {
    const p = fiveSteps();
    expect((await p.runFrom('a', { log: [] })).steps.map((r) => r.step)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect((await p.runUntil('e', { log: [] })).steps.map((r) => r.step)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('K12 partial runs respect skipIf', async () => {
    const p = fiveSteps();

    const from = await p.runFrom('b', { log: [], skipC: true });
    expect(from.context.log).toEqual(['b.before', 'b', 'd.before', 'd', 'e.before', 'e']);
    expect(from.steps[1]).toMatchObject({ step: 'c', status: 'skipped', reason: 'c not wanted' });

    const one = await p.runStep('c', { log: [], skipC: true });
    expect(one.context.log).toEqual([]);
    expect(one.steps).toEqual([expect.objectContaining({ step: 'c', status: 'skipped' })]);
  });

  it('K12 an unknown step makes runStep, runFrom and runUntil reject with StepNotFoundError', async () => {
    const p = fiveSteps();
    const ctx: Ctx = { log: [] };

    for (const call of [
      () => p.runStep('zz', ctx),
      () => p.runFrom('zz', ctx),
      () => p.runUntil('zz', ctx),
    ]) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      const err = await rejectionOf(promise!);
      expect(err).toBeInstanceOf(StepNotFoundError);
      expect((err as StepNotFoundError).step).toBe('zz');
    }
    expect(ctx.log).toEqual([]);
  });

  it('K12 partial runs validate first: a broken pipeline rejects with OrkaConfigurationError and nothing runs', async () => {
    const p = new Pipeline<Ctx>('broken', ['a', 'b']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    // 'b' is required and has no handlers
    const ctx: Ctx = { log: [] };

    await expect(p.runStep('a', ctx)).rejects.toBeInstanceOf(OrkaConfigurationError);
    await expect(p.runUntil('a', ctx)).rejects.toBeInstanceOf(OrkaConfigurationError);
    expect(ctx.log).toEqual([]);
  });

  it('K12 partial runs run no finishers and release no resources', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('no-finish', ['a', 'b']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('closed');
        },
      });
    });
    p.onStep('b', () => {});
    p.onFinish(() => {
      log.push('finished');
    });

    await p.runStep('a', { log: [] });
    await p.runFrom('a', { log: [] });
    await p.runUntil('b', { log: [] });

    expect(log).toEqual([]);
  });

  it('K12 Stop inside a partial run ends it with outcome stopped', async () => {
    const p = new Pipeline<Ctx>('partial-stop', ['a', 'b', 'c']);
    p.onStep('a', (ctx) => {
      ctx.log.push('a');
    });
    p.onStep('b', (ctx) => {
      ctx.log.push('b');
      return Stop;
    });
    p.onStep('c', (ctx) => {
      ctx.log.push('c');
    });

    const result = await p.runFrom('b', { log: [] });

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['b']);
  });

  it('K12 an error inside a partial run rejects with the same error', async () => {
    const boom = new Error('partial failure');
    const p = new Pipeline<Ctx>('partial-error', ['a', 'b']);
    p.onStep('a', () => {
      throw boom;
    });
    p.onStep('b', () => {});

    await expect(p.runUntil('b', { log: [] })).rejects.toBe(boom);
  });

  it('K12 partial runs accept run options such as runId and an aborted signal', async () => {
    const p = fiveSteps();
    const controller = new AbortController();
    controller.abort();

    const named = await p.runStep('a', { log: [] }, { runId: 'partial-1' });
    const cancelled = await p.runFrom('a', { log: [] }, { signal: controller.signal });

    expect(named.runId).toBe('partial-1');
    expect(cancelled.outcome).toBe('cancelled');
    expect(cancelled.context.log).toEqual([]);
  });
});
