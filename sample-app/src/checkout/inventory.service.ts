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
const initialStock: [string, Stock][] = [
  ['sku-1', { price: 1_000, available: 1_000_000, reserved: 0, sold: 0 }],
  ['sku-2', { price: 2_500, available: 1_000_000, reserved: 0, sold: 0 }],
  ['sku-3', { price: 99_900, available: 3, reserved: 0, sold: 0 }],
];

/** Stock with reservations per order, saved with the shop's files after each change. */
@Injectable()
export class InventoryService {
  private readonly stock: Map<string, Stock>;
  private readonly reservations: Map<string, CartItem[]>;

  constructor(private readonly files: ShopFiles) {
    const saved = files.load('inventory', {
      stock: initialStock,
      reservations: [] as [string, CartItem[]][],
    });
    this.stock = new Map(saved.stock);
    this.reservations = new Map(saved.reservations);
  }

  /** The price of a cart, in cents. */
  priceOf(items: CartItem[]): number {
    return items.reduce((sum, item) => sum + this.entry(item.sku).price * item.quantity, 0);
  }

  /**
   * Reserves a cart's stock for an order, all or nothing. Lines of the same SKU count together, so two
   * lines of 3 need 6 in stock. Synchronous: check and update happen in one turn of the event loop,
   * so concurrent orders can never take the stock below zero.
   */
  reserve(orderId: string, items: CartItem[]): void {
    // A reservation made before a crash is not made twice when the step runs again (D2).
    if (this.reservations.has(orderId)) return;
    const wanted = new Map<string, number>();
    for (const item of items) wanted.set(item.sku, (wanted.get(item.sku) ?? 0) + item.quantity);
    for (const [sku, quantity] of wanted) {
      const s = this.entry(sku);
      if (s.available < quantity) {
        throw new OutOfStockError(`Only ${s.available} of ${sku} left, ${quantity} wanted.`);
      }
    }
    for (const [sku, quantity] of wanted) {
      const s = this.entry(sku);
      s.available -= quantity;
      s.reserved += quantity;
    }
    this.reservations.set(orderId, items);
    this.save();
  }

  /** Gives an order's reserved stock back (the compensation of a reservation); says whether it held any. */
  release(orderId: string): boolean {
    const held = this.reservations.get(orderId);
    for (const item of held ?? []) {
      const s = this.entry(item.sku);
      s.available += item.quantity;
      s.reserved -= item.quantity;
    }
    this.reservations.delete(orderId);
    this.save();
    return held !== undefined;
  }

  /** Turns an order's reservation into a sale. */
  commit(orderId: string): void {
    for (const item of this.reservations.get(orderId) ?? []) {
      const s = this.entry(item.sku);
      s.reserved -= item.quantity;
      s.sold += item.quantity;
    }
    this.reservations.delete(orderId);
    this.save();
  }

  /** The stock of the given SKUs, and what the order holds of each. */
  snapshot(skus: string[], orderId: string): Record<string, Omit<Stock, 'price'> & { heldByOrder: number }> {
    const held = this.reservations.get(orderId) ?? [];
    return Object.fromEntries(
      skus.map((sku) => {
        const { available, reserved, sold } = this.entry(sku);
        const heldByOrder = held.filter((i) => i.sku === sku).reduce((n, i) => n + i.quantity, 0);
        return [sku, { available, reserved, sold, heldByOrder }];
      }),
    );
  }

  private save(): void {
    this.files.save('inventory', { stock: [...this.stock], reservations: [...this.reservations] });
  }

  private entry(sku: string): Stock {
    const s = this.stock.get(sku);
    if (!s) throw new UnknownProductError(`Unknown product ${sku}.`);
    return s;
  }
}
