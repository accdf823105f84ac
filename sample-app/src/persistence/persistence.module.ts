import { Global, Module } from '@nestjs/common';
import { ShopFiles } from './shop-files.js';
import { persistenceFromEnv, type DemoPersistence } from './store-from-env.js';

/** The token of the demo's persistence (`ORKA_STORE`). */
export const DEMO_PERSISTENCE = Symbol.for('sample-app:persistence');

/** Where the demo keeps its durable runs and its shop's state, chosen by `ORKA_STORE`. */
@Global()
@Module({
  providers: [
    { provide: DEMO_PERSISTENCE, useFactory: () => persistenceFromEnv() },
    {
      provide: ShopFiles,
      inject: [DEMO_PERSISTENCE],
      useFactory: (persistence: DemoPersistence) => new ShopFiles(persistence.dataDir),
    },
  ],
  exports: [DEMO_PERSISTENCE, ShopFiles],
})
export class PersistenceModule {}
