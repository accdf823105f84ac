import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { PipelineRunner } from '@orka/nestjs';
import { Observable, map } from 'rxjs';
import { CheckoutPipeline } from './checkout.pipeline.js';
import { InventoryService } from './inventory.service.js';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly orders: OrdersService,
    private readonly inventory: InventoryService,
  ) {}

  /** Places an order: runs the checkout pipeline. */
  @Post()
  async checkout(@Body() body: unknown) {
    const { context, runId } = await this.runner.run(CheckoutPipeline, body);
    return {
      orderId: context.orderId,
      status: this.orders.get(context.orderId!)!.status,
      total: context.total,
      gateway: context.gateway,
      paymentId: context.paymentId,
      runId,
    };
  }

  /**
   * Places an order and streams the run's events as Server-Sent Events. The cart comes in the query:
   * `?customerId=c1&tier=vip&paymentMethod=card&items=sku-1:2,sku-2:1`.
   */
  @Sse('stream')
  stream(@Query() query: Record<string, string | undefined>): Observable<MessageEvent> {
    const items = (query.items ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [sku, quantity] = entry.split(':');
        return { sku, quantity: Number(quantity ?? 1) };
      });
    const input = {
      customerId: query.customerId,
      tier: query.tier,
      paymentMethod: query.paymentMethod,
      items,
    };
    return this.runner
      .run$(CheckoutPipeline, input)
      .pipe(map((event) => ({ type: event.type, data: event })));
  }

  @Get()
  list() {
    return this.orders.all();
  }

  /** An order with the stock of its products, so that a released reservation is visible. */
  @Get(':id')
  get(@Param('id') id: string) {
    const order = this.orders.get(id);
    if (!order) throw new NotFoundException(`No order ${id}.`);
    return {
      order,
      inventory: this.inventory.snapshot([...new Set(order.items.map((i) => i.sku))], order.id),
    };
  }

  /** The order a run placed, for clients that only got the run id (from an error body). */
  @Get('by-run/:runId')
  byRun(@Param('runId') runId: string) {
    const order = this.orders.byRun(runId);
    if (!order) throw new NotFoundException(`No order was placed by run ${runId}.`);
    return this.get(order.id);
  }
}
