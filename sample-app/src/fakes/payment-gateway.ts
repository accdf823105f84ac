import { HttpStatus, Injectable } from '@nestjs/common';
import { MapToHttp } from '@orka/nestjs';
import { ShopFiles } from '../persistence/shop-files.js';
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
  /** The key the caller charged under: the same key charges once. */
  idempotencyKey?: string;
}

/** The test card number that every gateway declines. */
export const DECLINED_CARD = 'declined-card';

/**
 * A fake payment gateway with configurable latency and transient failures. Like a real one, it takes
 * an idempotency key: a charge asked for again under the same key (a step run again after a crash)
 * returns the first charge and charges nothing more. Its charges are kept with the shop's files.
 */
export class FakePaymentGateway {
  constructor(
    readonly name: string,
    private readonly faults: FaultSettings,
    private readonly files: ShopFiles,
  ) {}

  /** Every accepted charge, for the demo's state. */
  get charges(): Charge[] {
    return this.files.read<Charge[]>(`payments-${this.name}`, () => []);
  }

  async charge(
    amount: number,
    paymentMethod: string,
    signal: AbortSignal,
    idempotencyKey?: string,
  ): Promise<Charge> {
    const faults = this.faults.current();
    await sleep(faults.gatewayLatencyMs, signal);
    return this.files.update<Charge[], Charge>(
      `payments-${this.name}`,
      () => [],
      (charges) => {
        const earlier =
          idempotencyKey === undefined ? undefined : charges.find((c) => c.idempotencyKey === idempotencyKey);
        if (earlier) return earlier;
        if (paymentMethod === DECLINED_CARD)
          throw new PaymentDeclinedError(`The card was declined by ${this.name}.`);
        if (Math.random() < faults.gatewayFailureRate)
          throw new TransientError(`${this.name} is temporarily unavailable`);
        const charge: Charge = {
          paymentId: `${this.name}-${charges.length + 1}`,
          gateway: this.name,
          amount,
          ...(idempotencyKey !== undefined && { idempotencyKey }),
        };
        charges.push(charge);
        return charge;
      },
    );
  }
}

/** Gateway X: the premium processor VIP customers are routed to. */
@Injectable()
export class GatewayX extends FakePaymentGateway {
  constructor(faults: FaultSettings, files: ShopFiles) {
    super('gateway-x', faults, files);
  }
}

/** Gateway Y: the standard processor. */
@Injectable()
export class GatewayY extends FakePaymentGateway {
  constructor(faults: FaultSettings, files: ShopFiles) {
    super('gateway-y', faults, files);
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
