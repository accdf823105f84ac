import { HttpStatus, Injectable } from '@nestjs/common';
import { MapToHttp } from '@orka/nestjs';
import { ShopFiles } from '../persistence/shop-files.js';
import type { CartItem } from './checkout.context.js';

/** Not enough stock for a line of the cart. */
@MapToHttp(HttpStatus.CONFLICT, { code: 'OUT_OF_STOCK' })
export class OutOfStockError extends Error {
  override name = 'OutOfStockError';
}

/** A SKU the shop does not sell. */
@MapToHttp(HttpStatus.UNPROCESSABLE_ENTITY, { code: 'UNKNOWN_PRODUCT' })
export class UnknownProductError extends Error {
  override name = 'UnknownProductError';
}

/** The stock of one SKU. */
export interface Stock {
  price: number;
  available: number;
  reserved: number;
  sold: number;
}

/** The shop's stock at first start. */
const initialStock = (): InventoryState => ({
  stock: {
    'sku-1': { price: 1_000, available: 1_000_000, reserved: 0, sold: 0 },
    'sku-2': { price: 2_500, available: 1_000_000, reserved: 0, sold: 0 },
    'sku-3': { price: 99_900, available: 3, reserved: 0, sold: 0 },
  },
  reservations: {},
});

interface InventoryState {
  stock: Record<string, Stock>;
  reservations: Record<string, CartItem[]>;
}

/** Stock with reservations per order, in the shop's files (one world for every process of the demo). */
@Injectable()
export class InventoryService {
  constructor(private readonly files: ShopFiles) {}

  /** The price of a cart, in cents. */
  priceOf(items: CartItem[]): number {
    const { stock } = this.state();
    return items.reduce((sum, item) => sum + entry(stock, item.sku).price * item.quantity, 0);
  }

  /**
   * Reserves a cart's stock for an order, all or nothing. Lines of the same SKU count together, so two
   * lines of 3 need 6 in stock. The check and the update are one change of the shop's files, under
   * their lock, so concurrent orders (in any process) can never take the stock below zero. A
   * reservation made before a crash is not made twice when the step runs again (D2).
   */
  reserve(orderId: string, items: CartItem[]): void {
    this.change(({ stock, reservations }) => {
      if (reservations[orderId] !== undefined) return;
      const wanted = new Map<string, number>();
      for (const item of items) wanted.set(item.sku, (wanted.get(item.sku) ?? 0) + item.quantity);
      for (const [sku, quantity] of wanted) {
        const s = entry(stock, sku);
        if (s.available < quantity)
          throw new OutOfStockError(`Only ${s.available} of ${sku} left, ${quantity} wanted.`);
      }
      for (const [sku, quantity] of wanted) {
        const s = entry(stock, sku);
        s.available -= quantity;
        s.reserved += quantity;
      }
      reservations[orderId] = items;
    });
  }

  /** Gives an order's reserved stock back (the compensation of a reservation); says whether it held any. */
  release(orderId: string): boolean {
    return this.change(({ stock, reservations }) => {
      const held = reservations[orderId];
      for (const item of held ?? []) {
        const s = entry(stock, item.sku);
        s.available += item.quantity;
        s.reserved -= item.quantity;
      }
      delete reservations[orderId];
      return held !== undefined;
    });
  }

  /** Turns an order's reservation into a sale. */
  commit(orderId: string): void {
    this.change(({ stock, reservations }) => {
      for (const item of reservations[orderId] ?? []) {
        const s = entry(stock, item.sku);
        s.reserved -= item.quantity;
        s.sold += item.quantity;
      }
      delete reservations[orderId];
    });
  }

  /** The stock of the given SKUs, and what the order holds of each. */
  snapshot(skus: string[], orderId: string): Record<string, Omit<Stock, 'price'> & { heldByOrder: number }> {
    const { stock, reservations } = this.state();
    const held = reservations[orderId] ?? [];
    return Object.fromEntries(
      skus.map((sku) => {
        const { available, reserved, sold } = entry(stock, sku);
        const heldByOrder = held.filter((i) => i.sku === sku).reduce((n, i) => n + i.quantity, 0);
        return [sku, { available, reserved, sold, heldByOrder }];
      }),
    );
  }

  private state(): InventoryState {
    return this.files.read('inventory', initialStock);
  }

  private change<R>(change: (state: InventoryState) => R): R {
    return this.files.update('inventory', initialStock, change);
  }
}

function entry(stock: Record<string, Stock>, sku: string): Stock {
  const s = Object.hasOwn(stock, sku) ? stock[sku] : undefined;
  if (!s) throw new UnknownProductError(`Unknown product ${sku}.`);
  return s;
}
