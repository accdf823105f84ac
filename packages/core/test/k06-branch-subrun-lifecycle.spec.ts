import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, runFailure } from '../src/index.js';
import { deferred, rejectionOf } from './helpers.js';

// A branch's sub-run is a full run (K7) whichever way the executor runs it: these pin what its
// parent sees of its life, the branch being the last handler of its step (the executor's fast case).

interface Ctx {
  log: string[];
  tier: 'gold' | 'basic';
}

const ctx = (tier: Ctx['tier'] = 'gold'): Ctx => ({ log: [], tier });

/** A pipeline `main` whose `route` step branches on the tier into `gold` (else nothing). */
function routed(gold: Pipeline<Ctx>, configure?: (p: Pipeline<Ctx>) => void): Pipeline<Ctx> {
  const p = new Pipeline<Ctx>('main', ['before', 'route', 'after']);
  p.onStep('before', (c) => {
    c.log.push('main.before');
  });
  p.conditionalStep('route')
    .ifCondition((c) => c.tier === 'gold')
    .runSubPipeline(gold)
    .finalize();
  p.onStep('after', (c) => {
    c.log.push('main.after');
  });
  configure?.(p);
  return p;
}

/** A `gold` pipeline whose `vault` step branches into `vault`; its other steps log their names. */
function goldInto(vault: Pipeline<Ctx>, steps: string[]): Pipeline<Ctx> {
  const gold = new Pipeline<Ctx>('gold', steps);
  for (const s of steps.filter((name) => name !== 'vault'))
    gold.onStep(s, (c) => {
      c.log.push(`gold.${s}`);
    });
  gold
    .conditionalStep('vault')
    .ifCondition(() => true)
    .runSubPipeline(vault)
    .finalize();
  return gold;
}

describe('K6 the life of a branch sub-run, as its parent sees it', () => {
  it("K6 K8 K9 a branch's sub-run runs its finishers and releases its resources when it ends, before the parent's next step", async () => {
    const gold = new Pipeline<Ctx>('gold', ['grant']);
    gold.onStep('grant', (c, run) => {
      c.log.push('gold.grant');
      run.resources.add(() => {
        c.log.push('gold.resource released');
      });
    });
    gold.onFinish((c, outcome) => {
      c.log.push(`gold.finished ${outcome.status}`);
    });

    const result = await routed(gold).run(ctx());

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual([
      'main.before',
      'gold.grant',
      'gold.finished completed',
      'gold.resource released',
      'main.after',
    ]);
    expect(result.steps.map((r) => [r.step, r.status, r.branch])).toEqual([
      ['before', 'completed', undefined],
      ['route', 'completed', 0],
      ['after', 'completed', undefined],
    ]);
  });

  it("K6 K2 branches nest: a stop two sub-runs down stops each parent's step, and the root run", async () => {
    const vault = new Pipeline<Ctx>('vault', ['open', 'audit']);
    vault.onStep('open', (c) => {
      c.log.push('vault.open');
      return Stop;
    });
    vault.onStep('audit', (c) => {
      c.log.push('vault.audit');
    });
    const gold = goldInto(vault, ['grant', 'vault', 'thank']);

    const result = await routed(gold).run(ctx());

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual(['main.before', 'gold.grant', 'vault.open']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['before', 'completed'],
      ['route', 'stopped'],
    ]);
  });

  it('K6 K3 an error two sub-runs down fails the root run with that error; runFailure names the innermost run', async () => {
    const boom = new Error('vault jammed');
    const vault = new Pipeline<Ctx>('vault', ['open']);
    vault.onStep('open', () => {
      throw boom;
    });
    const gold = goldInto(vault, ['grant', 'vault']);
    const c = ctx();

    const err = await rejectionOf(routed(gold).run(c, { runId: 'ROOT' }));

    expect(err).toBe(boom);
    expect(c.log).toEqual(['main.before', 'gold.grant']);
    const failure = runFailure(err)!;
    expect(failure).toMatchObject({ pipeline: 'vault', step: 'open', rootRunId: 'ROOT' });
    expect(failure.runId).not.toBe('ROOT');
    // The records are the outermost run's.
    expect(failure.steps.map((r) => [r.step, r.status])).toEqual([
      ['before', 'completed'],
      ['route', 'failed'],
    ]);
  });

  it("K6 R6 a conditional step with continueOnError records its sub-run's failure and the run goes on", async () => {
    const boom = new Error('grant refused');
    const gold = new Pipeline<Ctx>('gold', ['grant']);
    gold.onStep('grant', () => {
      throw boom;
    });
    const p = routed(gold, (main) => main.stepOptions('route', { continueOnError: true }));

    const result = await p.run(ctx());

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['main.before', 'main.after']);
    expect(result.steps[1]).toMatchObject({ step: 'route', status: 'failed', error: boom });
  });

  it("K6 K10 a run cancelled while its branch's sub-run waits ends cancelled: no later step of either runs", async () => {
    const gate = deferred();
    const controller = new AbortController();
    const gold = new Pipeline<Ctx>('gold', ['wait', 'grant']);
    gold.onStep('wait', async (c) => {
      c.log.push('gold.wait');
      await gate.promise;
    });
    gold.onStep('grant', (c) => {
      c.log.push('gold.grant');
    });

    const running = routed(gold).run(ctx(), { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    gate.resolve();
    const result = await running;

    expect(result.outcome).toBe('cancelled');
    expect(result.context.log).toEqual(['main.before', 'gold.wait']);
    expect(result.steps.map((r) => r.step)).toEqual(['before', 'route']);
  });

  it("K6 R1 a sub-pipeline's step with a retry policy is retried inside a branch's sub-run", async () => {
    let attempts = 0;
    const gold = new Pipeline<Ctx>('gold', ['grant']);
    gold.onStep('grant', (c, run) => {
      attempts++;
      c.log.push(`gold.grant#${run.attempt}`);
      if (run.attempt < 3) throw new Error(`attempt ${run.attempt}`);
    });
    gold.stepOptions('grant', { retry: { attempts: 3, delayMs: 0 } });

    const result = await routed(gold).run(ctx());

    expect(result.outcome).toBe('completed');
    expect(attempts).toBe(3);
    expect(result.context.log).toEqual([
      'main.before',
      'gold.grant#1',
      'gold.grant#2',
      'gold.grant#3',
      'main.after',
    ]);
  });

  it('K6 runs of a branch whose condition does not hold run no sub-run, and their records have no branch', async () => {
    const gold = new Pipeline<Ctx>('gold', ['grant']);
    gold.onStep('grant', (c) => {
      c.log.push('gold.grant');
    });

    const result = await routed(gold).run(ctx('basic'));

    expect(result.context.log).toEqual(['main.before', 'main.after']);
    expect(result.steps[1]).toEqual(expect.objectContaining({ step: 'route', status: 'completed' }));
    expect(result.steps[1]!.branch).toBeUndefined();
  });
});
