// The checkout domain of the HTTP benchmark, shared by the hand-written and the Orka endpoints: one
// DTO (also the Orka pipeline's context class) and singleton in-memory services. It mirrors the
// sample app's checkout (validate cart, reserve inventory, pay through a VIP or standard gateway,
// confirm, notify) without latency or faults, and with bounded state, so that long runs do not
// drift: what is measured is the framework around the same service calls.
import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class CartItem {
  @IsString() @Matches(/^sku-\d+$/) sku!: string;
  @IsInt() @Min(1) @Max(100) quantity!: number;
}

/** The request body; for Orka also the run's context (the output fields are optional). */
export class CheckoutContext {
  @IsString() customerId!: string;
  @IsIn(['standard', 'vip']) tier!: 'standard' | 'vip';
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => CartItem) items!: CartItem[];
  @IsString() paymentMethod!: string;
  @IsOptional() @IsString() orderId?: string;
  @IsOptional() @IsNumber() total?: number;
  @IsOptional() @IsString() paymentId?: string;
  @IsOptional() @IsString() gateway?: string;
}

/** What both endpoints answer. */
export interface CheckoutResponse {
  orderId: string;
  status: string;
  total: number;
  gateway: string;
  paymentId: string;
}

export class UnknownProductError extends Error {
  override name = 'UnknownProductError';
}

@Injectable()
export class InventoryService {
  private readonly prices = new Map([
    ['sku-1', 1_000],
    ['sku-2', 2_500],
    ['sku-3', 99_900],
  ]);
  private readonly reserved = new Map<string, number>();
  private readonly reservations = new Map<string, CartItem[]>();
  sold = 0;

  priceOf(items: CartItem[]): number {
    let sum = 0;
    for (const item of items) sum += this.price(item.sku) * item.quantity;
    return sum;
  }

  reserve(orderId: string, items: CartItem[]): void {
    for (const item of items) this.reserved.set(item.sku, (this.reserved.get(item.sku) ?? 0) + item.quantity);
    this.reservations.set(orderId, items);
  }

  commit(orderId: string): void {
    for (const item of this.reservations.get(orderId) ?? []) {
      this.reserved.set(item.sku, this.reserved.get(item.sku)! - item.quantity);
      this.sold += item.quantity;
    }
    this.reservations.delete(orderId);
  }

  private price(sku: string): number {
    const p = this.prices.get(sku);
    if (p === undefined) throw new UnknownProductError(`Unknown product ${sku}.`);
    return p;
  }
}

export interface Order {
  id: string;
  customerId: string;
  tier: string;
  total: number;
  status: 'pending' | 'confirmed';
  paymentId?: string;
  gateway?: string;
}

/** The last 1,024 orders. */
@Injectable()
export class OrdersService {
  private readonly orders = new Map<string, Order>();
  private count = 0;

  open(customerId: string, tier: string, total: number): Order {
    const order: Order = { id: `order-${++this.count}`, customerId, tier, total, status: 'pending' };
    this.orders.set(order.id, order);
    if (this.orders.size > 1024) this.orders.delete(this.orders.keys().next().value!);
    return order;
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  confirm(id: string, paymentId: string, gateway: string): Order {
    const order = this.orders.get(id)!;
    order.status = 'confirmed';
    order.paymentId = paymentId;
    order.gateway = gateway;
    return order;
  }
}

export interface Charge {
  paymentId: string;
  gateway: string;
  amount: number;
}

class FakeGateway {
  private count = 0;
  constructor(readonly name: string) {}

  async charge(amount: number, _paymentMethod: string): Promise<Charge> {
    return { paymentId: `${this.name}-${++this.count}`, gateway: this.name, amount };
  }
}

/** The VIP payment gateway. */
@Injectable()
export class GatewayX extends FakeGateway {
  constructor() {
    super('gateway-x');
  }
}

/** The standard payment gateway. */
@Injectable()
export class GatewayY extends FakeGateway {
  constructor() {
    super('gateway-y');
  }
}

@Injectable()
export class MailerService {
  sent = 0;
  last = '';
  async send(to: string, subject: string, tag: string): Promise<void> {
    this.sent++;
    this.last = `${to} ${subject} [${tag}]`;
  }
}

export const checkoutProviders = [InventoryService, OrdersService, GatewayX, GatewayY, MailerService];

/** The two request bodies, sent alternately. */
export const requestBodies = {
  vip: {
    customerId: 'c-42',
    tier: 'vip',
    paymentMethod: 'card',
    items: [
      { sku: 'sku-1', quantity: 2 },
      { sku: 'sku-2', quantity: 1 },
    ],
  },
  standard: {
    customerId: 'c-7',
    tier: 'standard',
    paymentMethod: 'card',
    items: [
      { sku: 'sku-2', quantity: 3 },
      { sku: 'sku-1', quantity: 1 },
    ],
  },
  invalid: { customerId: 'c-1', tier: 'gold', paymentMethod: 'card', items: [], extra: true },
};
