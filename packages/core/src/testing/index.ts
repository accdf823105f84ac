/**
 * `@orka/core/testing`: what checks a run store. `checkRunStore(makeStore)` runs the behaviour every
 * `RunStore` must have; `runStoreChecks` lists the same checks, to run them one by one in a test runner.
 */
export { checkRunStore, runStoreChecks, RunStoreCheckError, type RunStoreCheck } from './store-checks.js';
