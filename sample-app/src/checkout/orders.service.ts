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

interface OrdersState {
  count: number;
  orders: Record<string, Order>;
}

const noOrders = (): OrdersState => ({ count: 0, orders: {} });

/** The shop's orders, in the shop's files (one world for every process of the demo). */
@Injectable()
export class OrdersService {
  constructor(private readonly files: ShopFiles) {}

  /** Opens the order of a run; the same run opens it once, also when its step runs again after a crash. */
  open(runId: string, customerId: string, tier: string, items: CartItem[], total: number): Order {
    return this.files.update('orders', noOrders, (state) => {
      const opened = Object.values(state.orders).find((o) => o.runId === runId);
      if (opened) return opened;
      const order: Order = {
        id: `order-${++state.count}`,
        runId,
        customerId,
        tier,
        items,
        total,
        status: 'pending',
        inventoryReleased: false,
      };
      state.orders[order.id] = order;
      return order;
    });
  }

  /** Changes an order. */
  update(id: string, change: Partial<Omit<Order, 'id' | 'runId'>>): Order | undefined {
    return this.files.update('orders', noOrders, (state) => {
      const order = state.orders[id];
      if (order) Object.assign(order, change);
      return order;
    });
  }

  get(id: string): Order | undefined {
    const orders = this.files.read('orders', noOrders).orders;
    return Object.hasOwn(orders, id) ? orders[id] : undefined;
  }

  byRun(runId: string): Order | undefined {
    return this.all().find((o) => o.runId === runId);
  }

  all(): Order[] {
    return Object.values(this.files.read('orders', noOrders).orders);
  }
}
