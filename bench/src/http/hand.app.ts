// The hand-written endpoint: the same checkout as the Orka pipeline, as a controller calling
// singleton services, the body validated by Nest's ValidationPipe against the same DTO (as strict as
// Orka's default: unknown properties are rejected).
import { Body, Controller, Injectable, Module, Post, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import {
  CheckoutContext,
  GatewayX,
  GatewayY,
  InventoryService,
  MailerService,
  OrdersService,
  checkoutProviders,
  type CheckoutResponse,
} from './checkout.domain.js';

@Injectable()
export class CheckoutService {
  constructor(
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    private readonly gatewayX: GatewayX,
    private readonly gatewayY: GatewayY,
    private readonly mailer: MailerService,
  ) {}

  async checkout(ctx: CheckoutContext): Promise<CheckoutResponse> {
    // validate_cart
    ctx.total = this.inventory.priceOf(ctx.items);
    ctx.orderId = this.orders.open(ctx.customerId, ctx.tier, ctx.total).id;
    // reserve_inventory
    this.inventory.reserve(ctx.orderId, ctx.items);
    // process_payment: VIP or standard gateway
    const charge =
      ctx.tier === 'vip'
        ? await this.gatewayX.charge(ctx.total, ctx.paymentMethod)
        : await this.gatewayY.charge(ctx.total, ctx.paymentMethod);
    ctx.paymentId = charge.paymentId;
    ctx.gateway = charge.gateway;
    // confirm_order
    this.inventory.commit(ctx.orderId);
    this.orders.confirm(ctx.orderId, ctx.paymentId, ctx.gateway);
    // notify
    await this.mailer.send(
      `${ctx.customerId}@example.com`,
      `Order ${ctx.orderId} confirmed`,
      `checkout/notify`,
    );
    return {
      orderId: ctx.orderId,
      status: this.orders.get(ctx.orderId)!.status,
      total: ctx.total,
      gateway: ctx.gateway,
      paymentId: ctx.paymentId,
    };
  }
}

@Controller('orders')
export class HandOrdersController {
  constructor(private readonly service: CheckoutService) {}

  @Post()
  checkout(@Body() body: CheckoutContext): Promise<CheckoutResponse> {
    return this.service.checkout(body);
  }
}

@Module({
  providers: [
    ...checkoutProviders,
    CheckoutService,
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    },
  ],
  controllers: [HandOrdersController],
})
export class HandModule {}
