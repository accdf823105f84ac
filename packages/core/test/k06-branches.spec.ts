import { describe, it, expect } from '@jest/globals';
import {
  Pipeline,
  Continue,
  Stop,
  OrkaError,
  NoBranchMatchedError,
  ExtractorError,
  PipelineProviderError,
} from '../src/index.js';
import { recorder, rejectionOf, sleep, trail } from './helpers.js';

interface Order {
  log: string[];
  method: 'card' | 'wire' | 'cash' | 'crypto';
  amount: number;
  receipt?: string;
  paidBy?: string;
}

interface Payment {
  amount: number;
  receipt?: string;
  log?: string[];
}

function order(method: Order['method'], amount = 100): Order {
  return { log: [], method, amount };
}

/** A payment sub-pipeline as a user would write it. */
function paymentPipeline(name: string, opts: { stop?: boolean; fail?: Error } = {}): Pipeline<Payment> {
  const sub = new Pipeline<Payment>(name, ['charge', 'confirm']);
  sub.onStep('charge', (pay) => {
    if (opts.fail) throw opts.fail;
    pay.receipt = `${name}:${pay.amount}`;
    if (opts.stop) return Stop;
    return Continue;
  });
  sub.onStep('confirm', (pay) => {
    pay.receipt = `${pay.receipt}:confirmed`;
  });
  return sub;
}

describe('K6 conditions', () => {
  it('K6 the first true condition wins and later conditions are not evaluated', async () => {
    const evaluated: string[] = [];
    const p = new Pipeline<Order>('first-wins', ['pay', 'done']);
    p.conditionalStep('pay')
      .ifCondition(() => {
        evaluated.push('c0');
        return false;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h0';
      })
      .ifCondition(() => {
        evaluated.push('c1');
        return true;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h1';
      })
      .ifCondition(() => {
        evaluated.push('c2');
        return true;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h2';
      })
      .finalize();
    p.onStep('done', (ctx) => {
      ctx.log.push('done');
    });

    const result = await p.run(order('card'));

    expect(evaluated).toEqual(['c0', 'c1']);
    expect(result.context.paidBy).toBe('h1');
    expect(result.context.log).toEqual(['done']);
    expect(result.steps[0]).toMatchObject({ step: 'pay', status: 'completed', branch: 1 });
  });

  it('K6 conditions are tested in registration order and see the live context', async () => {
    const p = new Pipeline<Order>('by-method', ['prepare', 'pay']);
    p.onStep('prepare', (ctx) => {
      ctx.method = 'wire';
    });
    p.conditionalStep('pay')
      .ifCondition((ctx) => ctx.method === 'card')
      .runHandler((ctx) => {
        ctx.paidBy = 'card';
      })
      .ifCondition((ctx) => ctx.method === 'wire')
      .runHandler((ctx) => {
        ctx.paidBy = 'wire';
      })
      .finalize();

    const result = await p.run(order('card'));

    expect(result.context.paidBy).toBe('wire');
    expect(result.steps[1]).toMatchObject({ step: 'pay', branch: 1 });
  });

  it('K6 conditions may be async; an async false is not taken as a match', async () => {
    const evaluated: string[] = [];
    const p = new Pipeline<Order>('async-cond', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(async () => {
        await sleep(1);
        evaluated.push('c0');
        return false;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h0';
      })
      .ifCondition(async (ctx) => {
        await sleep(1);
        evaluated.push('c1');
        return ctx.amount > 50;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h1';
      })
      .ifCondition(() => {
        evaluated.push('c2');
        return true;
      })
      .runHandler((ctx) => {
        ctx.paidBy = 'h2';
      })
      .finalize();

    const result = await p.run(order('card', 80));

    expect(evaluated).toEqual(['c0', 'c1']);
    expect(result.context.paidBy).toBe('h1');
    expect(result.steps[0]).toMatchObject({ branch: 1 });
  });

  it('K6 the branch index in the record is 0-based', async () => {
    const p = new Pipeline<Order>('index0', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runHandler(() => {})
      .finalize();

    const result = await p.run(order('card'));

    expect(result.steps[0]).toMatchObject({ step: 'pay', status: 'completed', branch: 0 });
  });

  it('K6 a runHandler branch gets the context and a StepRun for the conditional step', async () => {
    const seen: Array<{ step: string; pipeline: string; runId: string }> = [];
    const p = new Pipeline<Order>('handler-branch', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runHandler((ctx, run) => {
        ctx.paidBy = 'handler';
        seen.push({ step: run.step, pipeline: run.pipeline, runId: run.runId });
      })
      .finalize();

    const result = await p.run(order('cash'));

    expect(result.context.paidBy).toBe('handler');
    expect(seen).toEqual([{ step: 'pay', pipeline: 'handler-branch', runId: result.runId }]);
  });

  it('K6 a runHandler branch that returns Stop stops the run with the step stopped', async () => {
    const p = new Pipeline<Order>('handler-stop', ['pay', 'ship']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runHandler(() => Stop)
      .finalize();
    p.onStep('ship', (ctx) => {
      ctx.log.push('ship');
    });

    const result = await p.run(order('card'));

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual([]);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'pay', status: 'stopped', branch: 0 })]);
  });

  it('K6 an error thrown by a condition fails the run with that error', async () => {
    const boom = new Error('condition broke');
    const p = new Pipeline<Order>('cond-throws', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => {
        throw boom;
      })
      .runHandler(() => {})
      .finalize();

    await expect(p.run(order('card'))).rejects.toBe(boom);
  });
});

describe('K6 sub-pipeline branches', () => {
  it('K6 the extractor builds the sub-context and the merge writes back when the sub-run completes', async () => {
    const card = paymentPipeline('card');
    const subContexts: Payment[] = [];
    const p = new Pipeline<Order>('merge', ['pay', 'ship']);
    p.conditionalStep('pay')
      .ifCondition((ctx) => ctx.method === 'card')
      .runSubPipeline(
        card,
        (ctx) => ({ amount: ctx.amount }),
        (ctx, sub) => {
          subContexts.push(sub);
          ctx.receipt = sub.receipt;
        },
      )
      .finalize();
    p.onStep('ship', (ctx) => {
      ctx.log.push(`ship with ${ctx.receipt}`);
    });

    const result = await p.run(order('card', 25));

    expect(result.outcome).toBe('completed');
    expect(result.context.receipt).toBe('card:25:confirmed');
    expect(result.context.log).toEqual(['ship with card:25:confirmed']);
    expect(subContexts).toEqual([{ amount: 25, receipt: 'card:25:confirmed' }]);
    expect(result.steps[0]).toMatchObject({ step: 'pay', status: 'completed', branch: 0 });
  });

  it('K6 with an extractor and no merge, the sub-run works on a detached context and the parent is unchanged', async () => {
    const card = paymentPipeline('card');
    const p = new Pipeline<Order>('detached', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(card, (ctx) => ({ amount: ctx.amount }))
      .finalize();
    const ctx = order('card', 10);

    const result = await p.run(ctx);

    expect(result.outcome).toBe('completed');
    expect(result.context.receipt).toBeUndefined();
    expect(Object.keys(result.context).sort()).toEqual(['amount', 'log', 'method']);
  });

  it("K6 without an extractor the sub-run gets the parent's context object itself", async () => {
    const seen: unknown[] = [];
    const sub = new Pipeline<Order>('shared-sub', ['mark']);
    sub.onStep('mark', (ctx) => {
      seen.push(ctx);
      ctx.paidBy = 'sub';
    });
    const p = new Pipeline<Order>('shared', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(sub)
      .finalize();
    const ctx = order('card');

    const result = await p.run(ctx);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(ctx);
    expect(result.context.paidBy).toBe('sub');
  });

  it('K6 a static sub-pipeline instance is reused on every matching run', async () => {
    const runs: string[] = [];
    const sub = new Pipeline<Payment>('static-sub', ['x']);
    sub.onStep('x', (_pay, run) => {
      runs.push(run.pipeline);
    });
    const p = new Pipeline<Order>('static', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(sub, (ctx) => ({ amount: ctx.amount }))
      .finalize();

    await p.run(order('card'));
    await p.run(order('card'));

    expect(runs).toEqual(['static-sub', 'static-sub']);
  });

  it('K6 a factory is called on each matching run with the context, and never when its condition is false', async () => {
    const factoryCalls: Array<Order['method']> = [];
    const wireFactoryCalls: number[] = [];
    const p = new Pipeline<Order>('factory', ['pay']);
    p.conditionalStep('pay')
      .ifCondition((ctx) => ctx.method === 'card')
      .runSubPipeline(
        async (ctx) => {
          factoryCalls.push(ctx.method);
          await sleep(1);
          return paymentPipeline(`card-${factoryCalls.length}`);
        },
        (ctx) => ({ amount: ctx.amount }),
        (ctx, sub) => {
          ctx.receipt = sub.receipt;
        },
      )
      .ifCondition((ctx) => ctx.method === 'wire')
      .runSubPipeline(
        () => {
          wireFactoryCalls.push(1);
          return paymentPipeline('wire');
        },
        (ctx) => ({ amount: ctx.amount }),
        (ctx, sub) => {
          ctx.receipt = sub.receipt;
        },
      )
      .finalize();

    const r1 = await p.run(order('card', 1));
    const r2 = await p.run(order('card', 2));

    expect(factoryCalls).toEqual(['card', 'card']);
    expect(wireFactoryCalls).toEqual([]);
    expect(r1.context.receipt).toBe('card-1:1:confirmed');
    expect(r2.context.receipt).toBe('card-2:2:confirmed');

    const r3 = await p.run(order('wire', 3));
    expect(wireFactoryCalls).toEqual([1]);
    expect(factoryCalls).toHaveLength(2);
    expect(r3.context.receipt).toBe('wire:3:confirmed');
    expect(r3.steps[0]).toMatchObject({ branch: 1 });
  });

  it('K6 provider, extractor and merge each run exactly once for a matching run, in that order', async () => {
    const calls: string[] = [];
    const sub = new Pipeline<Payment>('once-sub', ['x']);
    sub.onStep('x', () => {
      calls.push('sub handler');
    });
    const p = new Pipeline<Order>('once', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => {
        calls.push('condition');
        return true;
      })
      .runSubPipeline(
        () => {
          calls.push('factory');
          return sub;
        },
        (ctx) => {
          calls.push('extractor');
          return { amount: ctx.amount };
        },
        () => {
          calls.push('merge');
        },
      )
      .finalize();

    await p.run(order('card'));

    expect(calls).toEqual(['condition', 'factory', 'extractor', 'sub handler', 'merge']);
  });

  it('K6 a sub-run that stops stops the parent; the merge still runs; later handlers and steps do not', async () => {
    const merges: Array<string | undefined> = [];
    const p = new Pipeline<Order>('sub-stop', ['pay', 'ship']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(
        paymentPipeline('declined', { stop: true }),
        (ctx) => ({ amount: ctx.amount }),
        (ctx, sub) => {
          merges.push(sub.receipt);
          ctx.receipt = sub.receipt;
        },
      )
      .finalize();
    p.onStep('pay', (ctx) => {
      ctx.log.push('pay.on after finalize');
    });
    p.afterStep('pay', (ctx) => {
      ctx.log.push('pay.after');
    });
    p.onStep('ship', (ctx) => {
      ctx.log.push('ship');
    });

    const result = await p.run(order('card', 5));

    expect(result.outcome).toBe('stopped');
    expect(merges).toEqual(['declined:5']);
    expect(result.context.receipt).toBe('declined:5');
    expect(result.context.log).toEqual([]);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'pay', status: 'stopped', branch: 0 })]);
  });

  it('K6 a sub-run error propagates as the same error object; the merge does not run', async () => {
    const boom = new Error('card network down');
    const merges: string[] = [];
    const p = new Pipeline<Order>('sub-error', ['pay', 'ship']);
    const ctx = order('card');
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(
        paymentPipeline('card', { fail: boom }),
        (c) => ({ amount: c.amount }),
        () => {
          merges.push('merge');
        },
      )
      .finalize();
    p.onStep('ship', (c) => {
      c.log.push('ship');
    });

    await expect(p.run(ctx)).rejects.toBe(boom);
    expect(merges).toEqual([]);
    expect(ctx.log).toEqual([]);
  });

  it('K6 a factory that throws fails the run with PipelineProviderError naming the real step; no extractor, no merge', async () => {
    const original = new Error('no provider today');
    const calls: string[] = [];
    const p = new Pipeline<Order>('provider-fails', ['prepare', 'pay']);
    p.onStep('prepare', () => {});
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(
        async (): Promise<Pipeline<Payment>> => {
          throw original;
        },
        (ctx) => {
          calls.push('extractor');
          return { amount: ctx.amount };
        },
        () => {
          calls.push('merge');
        },
      )
      .finalize();

    const err = await rejectionOf(p.run(order('card')));

    expect(err).toBeInstanceOf(PipelineProviderError);
    expect(err).toBeInstanceOf(OrkaError);
    const e = err as PipelineProviderError;
    expect(e.code).toBe('PIPELINE_PROVIDER_FAILED');
    expect(e.pipeline).toBe('provider-fails');
    expect(e.step).toBe('pay');
    expect(e.cause).toBe(original);
    expect(e.message).toContain('pay');
    expect(calls).toEqual([]);
  });

  it('K6 an extractor that throws fails the run with ExtractorError naming the real step; the sub-pipeline does not run', async () => {
    const original = new TypeError('cannot read amount');
    const subCalls: string[] = [];
    const sub = new Pipeline<Payment>('never-run', ['x']);
    sub.onStep('x', () => {
      subCalls.push('x');
    });
    const merges: string[] = [];
    const p = new Pipeline<Order>('extractor-fails', ['pay']);
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runSubPipeline(
        sub,
        (): Payment => {
          throw original;
        },
        () => {
          merges.push('merge');
        },
      )
      .finalize();

    const err = await rejectionOf(p.run(order('card')));

    expect(err).toBeInstanceOf(ExtractorError);
    expect(err).toBeInstanceOf(OrkaError);
    const e = err as ExtractorError;
    expect(e.code).toBe('EXTRACTOR_FAILED');
    expect(e.pipeline).toBe('extractor-fails');
    expect(e.step).toBe('pay');
    expect(e.cause).toBe(original);
    expect(e.message).toContain('pay');
    expect(subCalls).toEqual([]);
    expect(merges).toEqual([]);
  });
});

describe('K6 no match', () => {
  type NoMatch = 'default' | 'continue' | 'stop' | 'fail' | ((ctx: Order) => Error);

  function routed(noMatch: NoMatch = 'default'): Pipeline<Order> {
    const p = new Pipeline<Order>('routing', ['pay', 'ship']);
    const b = p
      .conditionalStep('pay')
      .ifCondition((ctx) => ctx.method === 'card')
      .runHandler((ctx) => {
        ctx.paidBy = 'card';
      });
    if (noMatch === 'default') b.finalize();
    else if (noMatch === 'continue') b.ifNoMatch(Continue).finalize();
    else if (noMatch === 'stop') b.ifNoMatch(Stop).finalize();
    else if (noMatch === 'fail') b.ifNoMatch('fail').finalize();
    else b.ifNoMatch(noMatch).finalize();
    p.onStep('ship', (ctx) => {
      ctx.log.push('ship');
    });
    return p;
  }

  it('K6 with no match the default is Continue: the next steps run and the context is untouched', async () => {
    const result = await routed().run(order('cash'));

    expect(result.outcome).toBe('completed');
    expect(result.context.paidBy).toBeUndefined();
    expect(result.context.log).toEqual(['ship']);
    expect(result.steps.map((r) => [r.step, r.status])).toEqual([
      ['pay', 'completed'],
      ['ship', 'completed'],
    ]);
    expect(result.steps[0]!.branch).toBeUndefined();
  });

  it('K6 ifNoMatch(Continue) continues', async () => {
    const result = await routed('continue').run(order('cash'));

    expect(result.outcome).toBe('completed');
    expect(result.context.log).toEqual(['ship']);
  });

  it('K6 ifNoMatch(Stop) stops the run: outcome stopped, the step stopped, later steps do not run', async () => {
    const result = await routed('stop').run(order('cash'));

    expect(result.outcome).toBe('stopped');
    expect(result.context.log).toEqual([]);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'pay', status: 'stopped' })]);
  });

  it('K6 ifNoMatch(Stop) does not interfere when a branch matches', async () => {
    const result = await routed('stop').run(order('card'));

    expect(result.outcome).toBe('completed');
    expect(result.context.paidBy).toBe('card');
    expect(result.context.log).toEqual(['ship']);
  });

  it("K6 ifNoMatch('fail') rejects with NoBranchMatchedError naming the pipeline and the step", async () => {
    const ctx = order('crypto');

    const err = await rejectionOf(routed('fail').run(ctx));

    expect(err).toBeInstanceOf(NoBranchMatchedError);
    expect(err).toBeInstanceOf(OrkaError);
    expect((err as NoBranchMatchedError).code).toBe('NO_BRANCH_MATCHED');
    expect((err as Error).message).toContain('routing');
    expect((err as Error).message).toContain('pay');
    expect(ctx.log).toEqual([]);
  });

  it('K6 ifNoMatch((ctx) => Error) rejects with the very error the function returned', async () => {
    class UnsupportedMethod extends Error {}
    const made: UnsupportedMethod[] = [];
    const p = routed((ctx) => {
      const e = new UnsupportedMethod(`unsupported: ${ctx.method}`);
      made.push(e);
      return e;
    });

    const err = await rejectionOf(p.run(order('crypto')));

    expect(made).toHaveLength(1);
    expect(err).toBe(made[0]);
    expect((err as Error).message).toBe('unsupported: crypto');
  });

  it('K6 no match emits branch.none between step.started and the step end; a match emits branch.matched with the index', async () => {
    const none = recorder();
    await routed().run(order('cash'), { observer: none.observer });
    expect(trail(none.events).slice(0, 4)).toEqual([
      'run.started',
      'step.started:pay',
      'branch.none:pay',
      'step.completed:pay',
    ]);

    const matched = recorder();
    await routed().run(order('card'), { observer: matched.observer });
    expect(trail(matched.events).slice(0, 4)).toEqual([
      'run.started',
      'step.started:pay',
      'branch.matched:pay',
      'step.completed:pay',
    ]);
    expect(matched.events.find((e) => e.type === 'branch.matched')?.branch).toBe(0);

    const stopped = recorder();
    await routed('stop').run(order('cash'), { observer: stopped.observer });
    expect(trail(stopped.events)).toEqual([
      'run.started',
      'step.started:pay',
      'branch.none:pay',
      'step.stopped:pay',
      'run.finished',
    ]);
  });
});

describe('K6 conditional steps and plain handlers of the same step', () => {
  it('K6 on handlers registered before finalize run before the dispatch, those registered after run after it', async () => {
    const p = new Pipeline<Order>('mixed', ['pay']);
    p.beforeStep('pay', (ctx) => {
      ctx.log.push('before');
    });
    p.onStep('pay', (ctx) => {
      ctx.log.push('on: early');
    });
    p.conditionalStep('pay')
      .ifCondition(() => true)
      .runHandler((ctx) => {
        ctx.log.push('branch');
      })
      .finalize();
    p.onStep('pay', (ctx) => {
      ctx.log.push('on: late');
    });
    p.afterStep('pay', (ctx) => {
      ctx.log.push('after');
    });

    const result = await p.run(order('card'));

    expect(result.context.log).toEqual(['before', 'on: early', 'branch', 'on: late', 'after']);
  });

  it('K6 finalize() returns the pipeline', () => {
    const p = new Pipeline<Order>('finalize-returns', ['pay']);
    const back = p
      .conditionalStep('pay')
      .ifCondition(() => true)
      .runHandler(() => {})
      .finalize();
    expect(back).toBe(p);
  });

  it('K6 conditionalStep on a name that is not in the step list throws', () => {
    const p = new Pipeline<Order>('no-such', ['pay']);
    expect(() => p.conditionalStep('refund')).toThrow();
    expect(p.stepNames()).toEqual(['pay']);
  });
});
