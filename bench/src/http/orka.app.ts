// The Orka endpoint: the checkout as a @Pipeline class run by PipelineRunner, the body validated by
// Orka against the context class. Two modules: without OrkaContext (the notify step tags its mail
// from the StepRun it is given), and with it (a tagger service injects OrkaContext and reads the run
// from AsyncLocalStorage, which turns run context tracking on for the application).
import { Body, Controller, Injectable, Module, Post, type Provider } from '@nestjs/common';
import {
  OrkaContext,
  OrkaModule,
  Otherwise,
  Pipeline,
  PipelineRunner,
  Step,
  When,
  type StepRun,
} from '@orka/nestjs';
import {
  CheckoutContext,
  GatewayX,
  GatewayY,
  InventoryService,
  MailerService,
  OrdersService,
  checkoutProviders,
  type Charge,
  type CheckoutResponse,
} from './checkout.domain.js';

/** Says which run and step a mail belongs to. */
export abstract class RunTagger {
  abstract tag(run: StepRun): string;
}

/** Reads the run from the StepRun the step was given. */
@Injectable()
export class StepRunTagger extends RunTagger {
  tag(run: StepRun): string {
    return `${run.pipeline}/${run.step}/${run.runId}`;
  }
}

/** Reads the run from OrkaContext (AsyncLocalStorage), as a service deep in a call chain would. */
@Injectable()
export class OrkaContextTagger extends RunTagger {
  constructor(private readonly orka: OrkaContext) {
    super();
  }
  tag(): string {
    return `${this.orka.pipeline}/${this.orka.step}/${this.orka.runId}`;
  }
}

@Pipeline({ name: 'checkout', context: CheckoutContext })
export class CheckoutPipeline {
  constructor(
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    private readonly gatewayX: GatewayX,
    private readonly gatewayY: GatewayY,
    private readonly mailer: MailerService,
    private readonly tagger: RunTagger,
  ) {}

  @Step('validate_cart')
  validateCart(ctx: CheckoutContext) {
    ctx.total = this.inventory.priceOf(ctx.items);
    ctx.orderId = this.orders.open(ctx.customerId, ctx.tier, ctx.total).id;
  }

  @Step('reserve_inventory')
  reserve(ctx: CheckoutContext) {
    this.inventory.reserve(ctx.orderId!, ctx.items);
  }

  @Step('process_payment')
  @When((ctx: CheckoutContext) => ctx.tier === 'vip')
  async payVip(ctx: CheckoutContext) {
    this.record(ctx, await this.gatewayX.charge(ctx.total!, ctx.paymentMethod));
  }

  @Step('process_payment')
  @Otherwise()
  async payStandard(ctx: CheckoutContext) {
    this.record(ctx, await this.gatewayY.charge(ctx.total!, ctx.paymentMethod));
  }

  @Step('confirm_order')
  confirm(ctx: CheckoutContext) {
    this.inventory.commit(ctx.orderId!);
    this.orders.confirm(ctx.orderId!, ctx.paymentId!, ctx.gateway!);
  }

  @Step('notify')
  async notify(ctx: CheckoutContext, run: StepRun) {
    await this.mailer.send(
      `${ctx.customerId}@example.com`,
      `Order ${ctx.orderId} confirmed`,
      this.tagger.tag(run),
    );
  }

  private record(ctx: CheckoutContext, charge: Charge) {
    ctx.paymentId = charge.paymentId;
    ctx.gateway = charge.gateway;
  }
}

@Controller('orders')
export class OrkaOrdersController {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly orders: OrdersService,
  ) {}

  @Post()
  async checkout(@Body() body: unknown): Promise<CheckoutResponse> {
    const { context } = await this.runner.run(CheckoutPipeline, body);
    return {
      orderId: context.orderId!,
      status: this.orders.get(context.orderId!)!.status,
      total: context.total!,
      gateway: context.gateway!,
      paymentId: context.paymentId!,
    };
  }
}

const common: Provider[] = [...checkoutProviders, CheckoutPipeline];

@Module({
  imports: [OrkaModule.forRoot()],
  providers: [...common, { provide: RunTagger, useClass: StepRunTagger }],
  controllers: [OrkaOrdersController],
})
export class OrkaCheckoutModule {}

@Module({
  imports: [OrkaModule.forRoot()],
  providers: [...common, { provide: RunTagger, useClass: OrkaContextTagger }],
  controllers: [OrkaOrdersController],
})
export class OrkaContextCheckoutModule {}
