import { Module } from '@nestjs/common';
import { CheckoutPipeline } from './checkout.pipeline.js';
import { InventoryService } from './inventory.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';

@Module({
  providers: [CheckoutPipeline, InventoryService, OrdersService],
  controllers: [OrdersController],
})
export class CheckoutModule {}
