// Type-level tests (compiled by `tsc --noEmit`, never run): runSubPipeline(source, extractor?, merge?)
// takes the sub-context type S from the source (Pipeline<S>, or the factory's result) and checks the
// extractor (must return S) and the merge ((ctx: C, sub: S)) against it.
import { Pipeline } from '../../src/index.js';

function is<T>(value: T): void {
  void value;
}

interface Signup {
  email: string;
  plan: 'basic' | 'premium';
  userId?: string;
  status?: string;
}

interface Provisioning {
  userId: string;
  status?: string;
}

const provisioning = new Pipeline<Provisioning>('provisioning', ['allocate']);
provisioning.onStep('allocate', (sub) => {
  sub.status = `ready:${sub.userId}`;
});

const signup = new Pipeline<Signup>('signup', ['route']);
const branch = () => signup.conditionalStep('route').ifCondition((ctx) => ctx.plan === 'basic');

// ---- positive cases: these must compile ----
branch()
  .runSubPipeline(
    provisioning,
    (ctx) => ({ userId: ctx.userId! }),
    (ctx, sub) => {
      ctx.status = sub.status;
    },
  )
  .finalize();
branch()
  .runSubPipeline(provisioning, (ctx) => ({ userId: ctx.email, status: 'new' }))
  .finalize();
branch().runSubPipeline(
  provisioning,
  (ctx: Signup): Provisioning => ({ userId: ctx.email }),
  (ctx: Signup, sub: Provisioning) => {
    ctx.userId = sub.userId;
  },
);
branch()
  .runSubPipeline(
    async (ctx) => {
      is<Signup>(ctx);
      return provisioning;
    },
    (ctx) => ({ userId: ctx.email }),
  )
  .finalize();
branch().runSubPipeline(
  (ctx) => (ctx.plan === 'basic' ? provisioning : provisioning),
  (ctx) => ({ userId: ctx.email }),
  (ctx, sub) => {
    is<string>(sub.userId);
    is<string | undefined>(sub.status);
    is<Signup>(ctx);
  },
);
branch().runSubPipeline(
  async () => provisioning,
  () => ({ userId: 'u' }),
  (_ctx, sub) => {
    is<Provisioning>(sub);
  },
);
// with no extractor the sub-run shares the parent's context: a Pipeline<Signup> fits
branch()
  .runSubPipeline(new Pipeline<Signup>('same-context', ['x']))
  .finalize();
// several branches may use different sub-context types
signup
  .conditionalStep('route')
  .ifCondition((ctx) => ctx.plan === 'basic')
  .runSubPipeline(
    provisioning,
    (ctx) => ({ userId: ctx.email }),
    (ctx, sub) => {
      ctx.status = sub.status;
    },
  )
  .ifCondition((ctx) => ctx.plan === 'premium')
  .runSubPipeline(
    new Pipeline<{ tier: number }>('tiered', ['t']),
    () => ({ tier: 2 }),
    (ctx, sub) => {
      ctx.status = String(sub.tier);
    },
  )
  .finalize();

// ---- negative cases: each line below the directive must be a type error ----

// the extractor must return S (from a static Pipeline<S>)
// @ts-expect-error userId must be a string
branch().runSubPipeline(provisioning, () => ({ userId: 42 }));
// @ts-expect-error userId is required in Provisioning
branch().runSubPipeline(provisioning, () => ({ status: 'x' }));
// @ts-expect-error the extractor gets the parent context, which has no 'nope'
branch().runSubPipeline(provisioning, (ctx) => ({ userId: ctx.nope }));
// @ts-expect-error an extractor declared for another parent type does not fit
branch().runSubPipeline(provisioning, (ctx: { id: number }) => ({ userId: String(ctx.id) }));

// the merge gets (ctx: C, sub: S)
branch().runSubPipeline(
  provisioning,
  (ctx) => ({ userId: ctx.email }),
  (ctx, sub) => {
    // @ts-expect-error the sub-context has no 'nope'
    ctx.status = sub.nope;
  },
);
branch().runSubPipeline(
  provisioning,
  (ctx) => ({ userId: ctx.email }),
  (ctx, sub) => {
    // @ts-expect-error the parent context has no 'nope'
    ctx.nope = sub.status;
  },
);
branch().runSubPipeline(
  provisioning,
  (ctx) => ({ userId: ctx.email }),
  (_ctx, sub) => {
    // @ts-expect-error sub.userId is a string, not a number
    is<number>(sub.userId);
  },
);
branch().runSubPipeline(
  provisioning,
  (ctx) => ({ userId: ctx.email }),
  // @ts-expect-error a merge declared for another sub-context type does not fit
  (_ctx: Signup, sub: { tier: number }) => {
    is<number>(sub.tier);
  },
);

// with a factory, S comes from the factory's result
branch().runSubPipeline(
  async () => provisioning,
  // @ts-expect-error the extractor must return the factory pipeline's context type
  () => ({ userId: 42 }),
);
branch().runSubPipeline(
  () => provisioning,
  // @ts-expect-error the extractor must return the factory pipeline's context type
  () => ({ tier: 1 }),
);
branch().runSubPipeline(
  async () => provisioning,
  () => ({ userId: 'u' }),
  (_ctx, sub) => {
    // @ts-expect-error the merge gets the factory pipeline's context type
    is<number>(sub.userId);
  },
);
branch().runSubPipeline(
  (ctx) => {
    // @ts-expect-error the factory gets the parent context, which has no 'nope'
    is<string>(ctx.nope);
    return provisioning;
  },
  (ctx) => ({ userId: ctx.email }),
);

// without an extractor the sub-run gets the parent's context itself, so the sub-pipeline must take it
// @ts-expect-error a Pipeline<Provisioning> cannot run on a Signup
branch().runSubPipeline(provisioning);
// @ts-expect-error a factory must produce a pipeline
branch().runSubPipeline(async () => 'provisioning');
