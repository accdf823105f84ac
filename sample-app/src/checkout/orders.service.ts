import { Injectable } from '@nestjs/common';
import { ShopFiles } from '../persistence/shop-files.js';
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

/** The shop's orders, saved with the shop's files after each change. */
@Injectable()
export class OrdersService {
  private readonly orders: Map<string, Order>;
  private count: number;

  constructor(private readonly files: ShopFiles) {
    const saved = files.load('orders', { count: 0, orders: [] as Order[] });
    this.count = saved.count;
    this.orders = new Map(saved.orders.map((o) => [o.id, o]));
  }

  /** Opens the order of a run; the same run opens it once, also when its step runs again after a crash. */
  open(runId: string, customerId: string, tier: string, items: CartItem[], total: number): Order {
    const opened = this.byRun(runId);
    if (opened) return opened;
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
    this.save();
    return order;
  }

  /** Changes an order and saves it. */
  update(id: string, change: Partial<Omit<Order, 'id' | 'runId'>>): Order | undefined {
    const order = this.orders.get(id);
    if (!order) return undefined;
    Object.assign(order, change);
    this.save();
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

  private save(): void {
    this.files.save('orders', { count: this.count, orders: [...this.orders.values()] });
  }
}
