import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { OrkaModule } from '@orka/nestjs';
import { OrkaStudioModule } from '@orka/studio';
import { StudioTokenGuard } from './studio/studio-token.guard.js';
import { DEMO_PERSISTENCE, PersistenceModule } from './persistence/persistence.module.js';
import type { DemoPersistence } from './persistence/store-from-env.js';
import { CheckoutModule } from './checkout/checkout.module.js';
import { FaultHeadersMiddleware } from './fakes/fault-headers.middleware.js';
import { FakesModule } from './fakes/fakes.module.js';
import { RequireJsonMiddleware } from './http/require-json.middleware.js';
import { PaymentsController } from './fakes/payments.controller.js';
import { PipelinesController } from './introspection/pipelines.controller.js';
import { RunsController } from './introspection/runs.controller.js';
import { MailboxController } from './mailbox.controller.js';
import { OnboardingModule } from './onboarding/onboarding.module.js';

/**
 * The demo application: onboarding and checkout over HTTP. Checkout is durable: its runs are kept in
 * the store `ORKA_STORE` names (an SQLite file under `.orka/` by default), and a run cut off by a crash
 * finishes after the restart. A lease of 5 s lets a restarted demo take a killed one's runs over soon.
 */
@Module({
  imports: [
    PersistenceModule,
    OrkaModule.forRootAsync({
      inject: [DEMO_PERSISTENCE],
      useFactory: (persistence: DemoPersistence) => ({
        shutdownGraceMs: 5_000,
        store: persistence.store,
        ...(persistence.transport && {
          transport: persistence.transport.transport,
          role: persistence.transport.role,
        }),
        // Named after the process, so that `GET /runs/:id` shows which one holds a run.
        durable: {
          leaseMs: 5_000,
          pollMs: 500,
          owner: `sample-${process.env.ORKA_ROLE ?? 'app'}-${process.pid}`,
        },
      }),
    }),
    FakesModule,
    OnboardingModule,
    CheckoutModule,
    // Orka Studio at /orka: behind a token (printed at start), or open with NODE_ENV=development.
    OrkaStudioModule.forRoot(
      process.env.NODE_ENV === 'development'
        ? { path: '/orka', allowUnauthenticated: true }
        : { path: '/orka', guard: StudioTokenGuard },
    ),
  ],
  controllers: [PipelinesController, RunsController, MailboxController, PaymentsController],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(RequireJsonMiddleware, FaultHeadersMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
