import { OrkaError } from '@orka/core';

/** The application is shutting down: a new run was refused, or a run was aborted after the grace period. @publicApi */
export class OrkaShutdownError extends OrkaError {
  readonly code = 'ORKA_SHUTDOWN';
}
