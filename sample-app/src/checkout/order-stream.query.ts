import { IsString, Matches } from 'class-validator';

/**
 * The query of `GET /orders/stream`: the cart comes as `items=sku-1:2,sku-2:1`. Each parameter is
 * given once: a repeated one arrives as an array and fails `@IsString()` (400 with the list).
 */
export class OrderStreamQuery {
  @IsString() customerId!: string;
  @IsString() tier!: string;
  @IsString() paymentMethod!: string;
  @IsString()
  @Matches(/^[^,:]+(:\d+)?(,[^,:]+(:\d+)?)*$/, {
    message: 'items must be a comma-separated list of sku or sku:quantity, such as sku-1:2,sku-2:1',
  })
  items!: string;

  /** The cart lines, for the checkout's validation to judge. */
  cart(): { sku: string; quantity: number }[] {
    return this.items.split(',').map((entry) => {
      const [sku, quantity] = entry.split(':');
      return { sku: sku!, quantity: Number(quantity ?? 1) };
    });
  }
}
