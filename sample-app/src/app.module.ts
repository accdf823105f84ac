import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { OrkaModule } from '@orka/nestjs';
import { CheckoutModule } from './checkout/checkout.module.js';
import { FaultHeadersMiddleware } from './fakes/fault-headers.middleware.js';
import { FakesModule } from './fakes/fakes.module.js';
import { RequireJsonMiddleware } from './http/require-json.middleware.js';
import { PipelinesController } from './introspection/pipelines.controller.js';
import { MailboxController } from './mailbox.controller.js';
import { OnboardingModule } from './onboarding/onboarding.module.js';

/** The demo application: onboarding and checkout over HTTP, all state in memory. */
@Module({
  imports: [OrkaModule.forRoot({ shutdownGraceMs: 5_000 }), FakesModule, OnboardingModule, CheckoutModule],
  controllers: [PipelinesController, MailboxController],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(RequireJsonMiddleware, FaultHeadersMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
