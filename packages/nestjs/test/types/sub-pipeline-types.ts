// Type-level tests of @SubPipeline: compiled by `tsc --noEmit`, never run.
import { IsOptional, IsString } from 'class-validator';
import { Pipeline, Step, SubPipeline, When, type StepRun } from '../../src/index.js';

class ProvisioningContext {
  @IsString() userId!: string;
  @IsOptional() @IsString() status?: string;
}

@Pipeline({ context: ProvisioningContext })
class Provisioning {
  @Step('go')
  go(ctx: ProvisioningContext) {
    ctx.status = 'done';
  }
}

interface Parent {
  userId?: string;
  provisioningStatus?: string;
  plan: 'basic' | 'premium';
}

export class Ok {
  @Step('provision')
  @When((ctx: Parent) => ctx.plan === 'premium')
  @SubPipeline(Provisioning, {
    extract: (ctx: Parent) => ({ userId: ctx.userId! }),
    merge: (ctx: Parent, sub) => {
      ctx.provisioningStatus = sub.status;
    },
  })
  premium() {}
}

export class WrongExtract {
  @Step('provision')
  @SubPipeline(Provisioning, {
    // @ts-expect-error the extractor must build the sub-pipeline's context: userId is missing
    extract: (ctx: Parent) => ({ user: ctx.userId }),
  })
  premium() {}
}

export class WrongMerge {
  @Step('provision')
  @SubPipeline(Provisioning, {
    merge: (ctx: Parent, sub) => {
      // @ts-expect-error the sub-context has no field named total
      ctx.provisioningStatus = sub.total;
    },
  })
  premium() {}
}

// run.subPipeline keeps the sub-pipeline's context type, also for classes with constructor parameters.
class Dep {
  readonly x = 1;
}

@Pipeline()
class WithDeps {
  constructor(private readonly dep: Dep) {}
  @Step('s')
  s(ctx: ProvisioningContext) {
    ctx.status = String(this.dep.x);
  }
}

export class Caller {
  @Step('call')
  async call(ctx: Parent, run: StepRun) {
    const sub = await run.subPipeline(WithDeps, { userId: 'u1' });
    const status: string | undefined = sub.context.status;
    ctx.provisioningStatus = status;
    // @ts-expect-error the sub-run's context is a ProvisioningContext, which has no plan
    void sub.context.plan;
  }
}
