import { Global, Module } from '@nestjs/common';
import { FaultSettings } from './fault-settings.js';
import { MailerService } from './mailer.service.js';
import { GatewayX, GatewayY } from './payment-gateway.js';

/** The fake outside world: payment gateways and a mailer, all in memory. */
@Global()
@Module({
  providers: [FaultSettings, MailerService, GatewayX, GatewayY],
  exports: [FaultSettings, MailerService, GatewayX, GatewayY],
})
export class FakesModule {}
