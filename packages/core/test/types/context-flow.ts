// Type-level tests (compiled by `tsc --noEmit`, never run): the context type C of Pipeline<C>
// reaches every callback of the builder.
import { Pipeline, Continue, Stop } from '../../src/index.js';
import type { StepRun } from '../../src/index.js';

/** Accepts a value of exactly the given type argument (used to check inferred types). */
function is<T>(value: T): void {
  void value;
}

interface Cart {
  items: string[];
  total: number;
  coupon?: string;
}

interface Other {
  other: string;
}

const p = new Pipeline<Cart>('cart', ['price', 'charge', 'route']);

// ---- positive cases: these must compile ----
p.onStep('price', (ctx) => {
  ctx.total = ctx.items.length * 10;
});
p.onStep('price', async (ctx, run) => {
  is<number>(ctx.total);
  is<string>(run.step);
  is<number>(run.attempt);
  return Continue;
});
p.onStep('price', (ctx: Cart, run: StepRun) => {
  is<string>(run.runId);
  is<AbortSignal>(run.signal);
  is<string[]>(ctx.items);
});
p.beforeStep('price', (ctx) => {
  is<string[]>(ctx.items);
});
p.afterStep('charge', (ctx) => (ctx.total > 0 ? Continue : Stop));
p.afterStep('charge', async (ctx) => {
  is<string | undefined>(ctx.coupon);
  return Stop;
});
p.skipIf('charge', (ctx) => ctx.total === 0, 'free');
p.skipIf('charge', (ctx) => ctx.items.length === 0);
p.onFinish((ctx, outcome) => {
  is<number>(ctx.total);
  is<'completed' | 'stopped' | 'cancelled' | 'failed'>(outcome.status);
  is<string>(outcome.runId);
  is<string>(outcome.pipeline);
});
p.onFinish(async (ctx) => {
  is<Cart>(ctx);
});
p.conditionalStep('route')
  .ifCondition((ctx) => ctx.total > 100)
  .runHandler((ctx, run) => {
    is<number>(ctx.total);
    is<string>(run.pipeline);
  })
  .ifCondition(async (ctx) => ctx.coupon !== undefined)
  .runHandler(async (ctx) => {
    ctx.total = 0;
    return Stop;
  })
  .ifNoMatch((ctx) => new Error(`no route for ${ctx.total}`))
  .finalize();

// ---- negative cases: each line below the directive must be a type error ----

// onStep
p.onStep('price', (ctx) => {
  // @ts-expect-error the context has no property 'nope'
  ctx.nope = 1;
});
p.onStep('price', (ctx) => {
  // @ts-expect-error total is a number
  ctx.total = 'ten';
});
const handlerForOther = (ctx: Other) => {
  is<string>(ctx.other);
};
// @ts-expect-error a handler written for another context type does not fit Pipeline<Cart>
p.onStep('price', handlerForOther);
p.onStep('price', (_ctx, run) => {
  // @ts-expect-error parentRunId is optional, so it may be undefined
  is<string>(run.parentRunId);
});

// beforeStep / afterStep
p.beforeStep('price', (ctx) => {
  // @ts-expect-error the context has no property 'nope'
  ctx.nope = 1;
});
p.afterStep('price', (ctx) => {
  // @ts-expect-error items is a string[]
  is<number[]>(ctx.items);
});
// @ts-expect-error a handler written for another context type does not fit Pipeline<Cart>
p.afterStep('price', handlerForOther);

// skipIf
// @ts-expect-error the context has no property 'nope'
p.skipIf('charge', (ctx) => ctx.nope === 1);
// @ts-expect-error skipIf predicates are synchronous
p.skipIf('charge', async (ctx) => ctx.total === 0);

// conditions and branch handlers
const branch = new Pipeline<Cart>('branching', ['route']).conditionalStep('route');
// @ts-expect-error conditions get the context type
branch.ifCondition((ctx) => ctx.nope === 1);
// @ts-expect-error async conditions get the context type too
branch.ifCondition(async (ctx) => ctx.nope === 1);
branch
  .ifCondition(() => true)
  .runHandler((ctx) => {
    // @ts-expect-error branch handlers get the context type
    ctx.nope = 1;
  });
branch
  .ifCondition(() => true)
  .runHandler(() => {})
  // @ts-expect-error ifNoMatch's error factory gets the context type
  .ifNoMatch((ctx) => new Error(ctx.nope));

// onFinish
p.onFinish((ctx) => {
  // @ts-expect-error the context has no property 'nope'
  ctx.nope = 1;
});
p.onFinish((_ctx, outcome) => {
  // @ts-expect-error the outcome status can also be stopped, cancelled or failed
  is<'completed'>(outcome.status);
});
