import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  Sse,
  ValidationPipe,
  type MessageEvent,
} from '@nestjs/common';
import { PipelineRunner, type OrkaEvent, type RunResult } from '@orka/nestjs';
import { Observable, catchError, map, of, throwError } from 'rxjs';
import type { CheckoutContext } from './checkout.context.js';
import { endedOrWaiting } from '../http/ended-or-waiting.js';
import { CheckoutPipeline } from './checkout.pipeline.js';
import { InventoryService } from './inventory.service.js';
import { OrderStreamQuery } from './order-stream.query.js';
import { OrdersService } from './orders.service.js';

/** The part of the HTTP response the 202 answer sets (Express's and Fastify's both have it). */
interface Reply {
  status(code: number): { setHeader(name: string, value: string): unknown };
}

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly orders: OrdersService,
    private readonly inventory: InventoryService,
  ) {}

  /**
   * Places an order: runs the (durable) checkout pipeline and answers when it has ended, or with 202
   * Accepted and `Location: /runs/<id>` when it waits for approval (an order above the approval limit).
   * With an `Idempotency-Key` header, the same key again starts nothing: it answers with the first run's
   * outcome, or 202 while it still waits (also after a crash and a restart).
   */
  @Post()
  async checkout(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Reply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
      throw new BadRequestException('Idempotency-Key must be 1 to 200 visible ASCII characters.');
    const run = await endedOrWaiting<CheckoutContext>(this.runner, (observe) =>
      this.runner.start(CheckoutPipeline, body, {
        ...(idempotencyKey !== undefined && { idempotencyKey }),
        ...observe,
      }),
    );
    if (run.ended) return this.placed(run.result);
    // The order waits for its approval: its outcome comes later, on GET /runs/:runId.
    res.status(202).setHeader('Location', `/runs/${run.runId}`);
    const context = run.snapshot.context as CheckoutContext;
    return {
      runId: run.runId,
      orderId: context.orderId,
      status: 'awaiting_approval',
      total: context.total,
      approve: `/orders/${run.runId}/approval`,
    };
  }

  /** Answers an order that waits for approval: `{ "approved": true, "by": "..." }`; then its outcome. */
  @Post(':runId/approval')
  async approval(@Param('runId') runId: string, @Body() body: unknown) {
    await this.runner.signal(runId, 'approval', body);
    return this.placed(await this.runner.result<CheckoutContext>(runId));
  }

  /**
   * Places an order and streams the run's events as Server-Sent Events. The cart comes in the query:
   * `?customerId=c1&tier=vip&paymentMethod=card&items=sku-1:2,sku-2:1`.
   */
  @Sse('stream')
  stream(
    @Query(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
    query: OrderStreamQuery,
  ): Observable<MessageEvent> {
    const input = {
      customerId: query.customerId,
      tier: query.tier,
      paymentMethod: query.paymentMethod,
      items: query.cart(),
    };
    // Once the stream has started, a failed run's last events (compensations, run.finished) come just
    // before its error: ending the stream with a final `error` event, rather than erroring it, lets every
    // event reach the client. An error before any event (invalid input) stays an HTTP error (400).
    let started = false;
    return this.runner.run$(CheckoutPipeline, input).pipe(
      map((event): MessageEvent => {
        started = true;
        return { type: event.type, data: publicEvent(event) };
      }),
      catchError((err: unknown) => {
        if (!started) return throwError(() => err);
        return of<MessageEvent>({ type: 'error', data: this.runner.toHttpException(err).getResponse() });
      }),
    );
  }

  /** What an ended checkout answers with. */
  private placed({ context, runId }: RunResult<CheckoutContext>) {
    return {
      orderId: context.orderId,
      status: this.orders.get(context.orderId!)!.status,
      total: context.total,
      gateway: context.gateway,
      paymentId: context.paymentId,
      ...(context.approvedBy !== undefined && { approvedBy: context.approvedBy }),
      runId,
    };
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

/**
 * An event as a client may see it: the errors that events carry are internal (a step's exception, a
 * retried failure), so they are left out; a failed stream ends with an `error` event that says what the
 * HTTP response would have said.
 */
function publicEvent(event: OrkaEvent): object {
  if (!('error' in event)) return event;
  const { error: _internal, ...visible } = event;
  return visible;
}
