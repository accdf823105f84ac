import { Controller, Get } from '@nestjs/common';
import { GatewayX, GatewayY } from './payment-gateway.js';

/** What the fake gateways charged: after a crash and a restart, a checkout is still charged once. */
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly x: GatewayX,
    private readonly y: GatewayY,
  ) {}

  @Get()
  list() {
    return [...this.x.charges, ...this.y.charges];
  }
}
