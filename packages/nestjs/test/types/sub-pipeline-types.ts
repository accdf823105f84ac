// Type-level tests of @SubPipeline: compiled by `tsc --noEmit`, never run.
import { IsOptional, IsString } from 'class-validator';
import { Pipeline, Step, SubPipeline, When } from '../../src/index.js';

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
