import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContextId } from '@nestjs/core';
import type { ActiveRun, StepRun } from '@orka/core';

/** What a run (or an HTTP request about to start one) makes available to `OrkaContext`. */
export interface OrkaStore {
  /** The HTTP request the run started in. */
  request?: unknown;
  /** The DI context of request-scoped pipelines resolved for this run. */
  contextId?: ContextId;
  /** The context of the step running in this async branch. */
  ctx?: unknown;
  /** The step running in this async branch (for a finisher: the run, with step `'onFinish'`). */
  run?: Pick<StepRun, 'runId' | 'pipeline' | 'step'>;
  /** The run itself, in the one store a run executes in: its handler calls share the store while it names their step. */
  active?: ActiveRun;
}

// One storage per process, shared by the ESM and CommonJS builds of this package.
const key = Symbol.for('orka:context-storage');
type GlobalWithStorage = typeof globalThis & { [key]?: AsyncLocalStorage<OrkaStore> };

/** The AsyncLocalStorage behind `OrkaContext`. */
export const orkaStorage: AsyncLocalStorage<OrkaStore> = ((globalThis as GlobalWithStorage)[key] ??=
  new AsyncLocalStorage<OrkaStore>());
