import { Module } from '@nestjs/common';
import { OrkaModule } from '@orka/nestjs';
import { CheckoutModule } from './checkout/checkout.module.js';
import { FakesModule } from './fakes/fakes.module.js';
import { PipelinesController } from './introspection/pipelines.controller.js';
import { MailboxController } from './mailbox.controller.js';
import { OnboardingModule } from './onboarding/onboarding.module.js';

/** The demo application: onboarding and checkout over HTTP, all state in memory. */
@Module({
  imports: [OrkaModule.forRoot({ shutdownGraceMs: 5_000 }), FakesModule, OnboardingModule, CheckoutModule],
  controllers: [PipelinesController, MailboxController],
})
export class AppModule {}
