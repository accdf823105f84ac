import type { RunStore } from '../stores/run-store.js';
import type { RunStoreCheck } from './check-support.js';
import { createAndLeaseChecks } from './checks-create-and-lease.js';
import { listingChecks } from './checks-listing.js';
import { waitsAndSignalsChecks } from './checks-waits-and-signals.js';

export { RunStoreCheckError, type RunStoreCheck } from './check-support.js';

/** Every behaviour `checkRunStore` checks, by name. */
export const runStoreChecks: RunStoreCheck[] = [
  ...createAndLeaseChecks,
  ...waitsAndSignalsChecks,
  ...listingChecks,
];

/**
 * Runs every check of `runStoreChecks` against fresh stores from `makeStore` (opened first, closed
 * after) and throws a `RunStoreCheckError` at the first violation, saying what was expected. A store
 * for another database passes it before it is used.
 *
 * ```ts
 * await checkRunStore(() => new MyRunStore({ url }));
 * ```
 */
export async function checkRunStore(makeStore: () => RunStore | Promise<RunStore>): Promise<void> {
  for (const check of runStoreChecks) {
    const store = await makeStore();
    await store.open();
    try {
      await check.run(store);
    } finally {
      await store.close();
    }
  }
}
