import { HttpStatus, Injectable } from '@nestjs/common';
import { MapToHttp } from '@orka/nestjs';
import { FaultSettings } from './fault-settings.js';
import { TransientError } from './transient-error.js';

/** The card was declined: a client error, never retried. */
@MapToHttp(HttpStatus.PAYMENT_REQUIRED, { code: 'PAYMENT_DECLINED' })
export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
}

/** A charge a gateway accepted. */
export interface Charge {
  paymentId: string;
  gateway: string;
  amount: number;
}

/** The test card number that every gateway declines. */
export const DECLINED_CARD = 'declined-card';

/** A fake payment gateway with configurable latency and transient failures. */
export class FakePaymentGateway {
  private count = 0;
  /** Every accepted charge, for the demo's state. */
  readonly charges: Charge[] = [];

  constructor(
    readonly name: string,
    private readonly faults: FaultSettings,
  ) {}

  async charge(amount: number, paymentMethod: string, signal: AbortSignal): Promise<Charge> {
    const faults = this.faults.current();
    await sleep(faults.gatewayLatencyMs, signal);
    if (paymentMethod === DECLINED_CARD)
      throw new PaymentDeclinedError(`The card was declined by ${this.name}.`);
    if (Math.random() < faults.gatewayFailureRate)
      throw new TransientError(`${this.name} is temporarily unavailable`);
    const charge = { paymentId: `${this.name}-${++this.count}`, gateway: this.name, amount };
    this.charges.push(charge);
    return charge;
  }
}

/** Gateway X: the premium processor VIP customers are routed to. */
@Injectable()
export class GatewayX extends FakePaymentGateway {
  constructor(faults: FaultSettings) {
    super('gateway-x', faults);
  }
}

/** Gateway Y: the standard processor. */
@Injectable()
export class GatewayY extends FakePaymentGateway {
  constructor(faults: FaultSettings) {
    super('gateway-y', faults);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
