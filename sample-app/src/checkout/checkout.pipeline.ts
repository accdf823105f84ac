import {
  Compensate,
  OnFinish,
  Otherwise,
  Pipeline,
  RunTimeoutError,
  SignalTimeoutError,
  SkipIf,
  Step,
  StepTimeoutError,
  WaitFor,
  When,
  type RunOutcome,
  type StepRun,
} from '@orka/nestjs';
import { approvalLimit, approvalTimeoutMs } from './approval-settings.js';
import { ApprovalRejectedError } from './approval-rejected.error.js';
import { MailerService } from '../fakes/mailer.service.js';
import { GatewayX, GatewayY, PaymentDeclinedError, type Charge } from '../fakes/payment-gateway.js';
import { TransientError } from '../fakes/transient-error.js';
import { ApprovalDto, CheckoutContext } from './checkout.context.js';
import { InventoryService, OutOfStockError, UnknownProductError } from './inventory.service.js';
import { OrdersService } from './orders.service.js';

const NOTIFY_ATTEMPTS = 3;

/** Errors whose message the client already got in the HTTP response. */
const clientErrors = [
  PaymentDeclinedError,
  OutOfStockError,
  UnknownProductError,
  StepTimeoutError,
  RunTimeoutError,
  ApprovalRejectedError,
  SignalTimeoutError,
];

/**
 * Checkout with VIP payment routing; a failed payment gives the reserved stock back. Durable: each
 * step commits to the run store, and a checkout cut off by a crash finishes after the restart, its
 * payment charged once (the gateways take `run.stepKey` as their idempotency key).
 */
@Pipeline({ name: 'checkout', context: CheckoutContext, durable: true, version: '2' })
export class CheckoutPipeline {
  constructor(
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    private readonly gatewayX: GatewayX,
    private readonly gatewayY: GatewayY,
    private readonly mailer: MailerService,
  ) {}

  @Step('validate_cart')
  validateCart(ctx: CheckoutContext, run: StepRun) {
    ctx.total = this.inventory.priceOf(ctx.items);
    ctx.orderId = this.orders.open(run.rootRunId, ctx.customerId, ctx.tier, ctx.items, ctx.total).id;
  }

  @Step('reserve_inventory')
  reserve(ctx: CheckoutContext) {
    this.inventory.reserve(ctx.orderId!, ctx.items);
  }

  @Compensate('reserve_inventory')
  release(ctx: CheckoutContext) {
    if (this.inventory.release(ctx.orderId!)) this.orders.update(ctx.orderId!, { inventoryReleased: true });
  }

  /**
   * An order above the approval limit waits for a person: `POST /orders/:runId/approval`. The run holds
   * nothing while it waits, survives restarts, and times out after `APPROVAL_TIMEOUT_MS`. A rejection
   * (or the timeout) fails the run, and the compensation gives the reserved stock back.
   */
  @Step('approval')
  @SkipIf((ctx: CheckoutContext) => ctx.total! <= approvalLimit(), 'within the approval limit')
  @WaitFor('approval', { payload: ApprovalDto, timeoutMs: approvalTimeoutMs() })
  approve(ctx: CheckoutContext, answer: ApprovalDto) {
    if (!answer.approved)
      throw new ApprovalRejectedError(`Order ${ctx.orderId} was rejected by ${answer.by}.`);
    ctx.approvedBy = answer.by;
  }

  @Step('process_payment', {
    retry: { attempts: 3, backoff: 'exponential', delayMs: 20, nonRetryable: [PaymentDeclinedError] },
    timeoutMs: 2_000,
  })
  @When((ctx: CheckoutContext) => ctx.tier === 'vip')
  async payVip(ctx: CheckoutContext, run: StepRun) {
    this.record(ctx, await this.gatewayX.charge(ctx.total!, ctx.paymentMethod, run.signal, run.stepKey));
  }

  @Step('process_payment')
  @Otherwise()
  async payStandard(ctx: CheckoutContext, run: StepRun) {
    this.record(ctx, await this.gatewayY.charge(ctx.total!, ctx.paymentMethod, run.signal, run.stepKey));
  }

  @Step('confirm_order')
  confirm(ctx: CheckoutContext) {
    this.inventory.commit(ctx.orderId!);
    this.orders.update(ctx.orderId!, { status: 'confirmed', paymentId: ctx.paymentId, gateway: ctx.gateway });
  }

  /**
   * The order is paid and confirmed: a mail that cannot be sent must not undo it. Transient failures
   * are retried; on the last attempt the failure is recorded on the order instead of failing the run.
   */
  @Step('notify', {
    retry: { attempts: NOTIFY_ATTEMPTS, delayMs: 10, retryOn: (err) => err instanceof TransientError },
  })
  async notify(ctx: CheckoutContext, run: StepRun) {
    try {
      await this.mailer.send(`${ctx.customerId}@example.com`, `Order ${ctx.orderId} confirmed`, run.runId);
    } catch (err) {
      if (!(err instanceof TransientError) || run.attempt < NOTIFY_ATTEMPTS) throw err;
      this.orders.update(ctx.orderId!, { notificationFailed: true });
    }
  }

  @OnFinish()
  settle(ctx: CheckoutContext, outcome: RunOutcome) {
    const order = ctx.orderId ? this.orders.get(ctx.orderId) : undefined;
    if (!order || outcome.status === 'completed') return;
    // The order is visible to clients: errors they were told about in full, internal ones by kind only.
    const err = outcome.error;
    this.orders.update(order.id, {
      status: outcome.status === 'cancelled' ? 'cancelled' : 'failed',
      ...(err instanceof Error && {
        failure: clientErrors.some((c) => err instanceof c) ? `${err.name}: ${err.message}` : err.name,
      }),
    });
  }

  private record(ctx: CheckoutContext, charge: Charge) {
    ctx.paymentId = charge.paymentId;
    ctx.gateway = charge.gateway;
  }
}
