import { OrkaError } from '@orka/core';

/** `OrkaContext` was read outside a run, or with run context tracking off. @publicApi */
export class OrkaContextUnavailableError extends OrkaError {
  readonly code = 'ORKA_CONTEXT_UNAVAILABLE';
}
