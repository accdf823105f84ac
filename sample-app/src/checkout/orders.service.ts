import { Injectable } from '@nestjs/common';
import type { CartItem } from './checkout.context.js';

/** An order of the demo. */
export interface Order {
  id: string;
  runId: string;
  customerId: string;
  tier: string;
  items: CartItem[];
  total: number;
  status: 'pending' | 'confirmed' | 'failed' | 'cancelled';
  paymentId?: string;
  gateway?: string;
  inventoryReleased: boolean;
  /** The confirmation mail could not be sent (the order stands). */
  notificationFailed?: boolean;
  /** The kind of error that failed the order. */
  failure?: string;
}

/** In-memory orders. */
@Injectable()
export class OrdersService {
  private readonly orders = new Map<string, Order>();
  private count = 0;

  open(runId: string, customerId: string, tier: string, items: CartItem[], total: number): Order {
    const order: Order = {
      id: `order-${++this.count}`,
      runId,
      customerId,
      tier,
      items,
      total,
      status: 'pending',
      inventoryReleased: false,
    };
    this.orders.set(order.id, order);
    return order;
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  byRun(runId: string): Order | undefined {
    return [...this.orders.values()].find((o) => o.runId === runId);
  }

  all(): Order[] {
    return [...this.orders.values()];
  }
}
