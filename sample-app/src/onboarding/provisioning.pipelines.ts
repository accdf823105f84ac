import { Pipeline, Step } from '@orka/nestjs';
import { ProvisioningContext } from './onboarding.context.js';
import { UsersService } from './users.service.js';

/** Basic plans get a shared workspace. */
@Pipeline({ name: 'basic_provisioning', context: ProvisioningContext })
export class BasicProvisioningPipeline {
  constructor(private readonly users: UsersService) {}

  @Step('assign_shared_workspace')
  assign(ctx: ProvisioningContext) {
    ctx.workspaceId = 'shared-1';
    this.users.attachWorkspace(ctx.userId, ctx.workspaceId);
    ctx.status = 'basic: shared workspace';
  }
}

/** Premium plans get a dedicated workspace and an account manager. */
@Pipeline({ name: 'premium_provisioning', context: ProvisioningContext })
export class PremiumProvisioningPipeline {
  constructor(private readonly users: UsersService) {}

  @Step('create_dedicated_workspace')
  create(ctx: ProvisioningContext) {
    ctx.workspaceId = `ws-${ctx.userId}`;
    this.users.attachWorkspace(ctx.userId, ctx.workspaceId);
  }

  @Step('assign_account_manager')
  assignManager(ctx: ProvisioningContext) {
    ctx.status = `premium: ${ctx.workspaceId} with an account manager`;
  }
}
