import { OrkaError } from '../errors/orka-error.js';

/**
 * Why a durable run stops in this process without ending: it suspended to wait (W1, W3), its lease
 * passed to another owner (D4), or its runner let it go (a worker closing). Thrown through the run's
 * frames, past retries, compensations and finishers, to the durable runner; never reaches a caller.
 */
export class RunHalt extends OrkaError {
  readonly code = 'RUN_HALTED';

  constructor(
    readonly reason: 'suspended' | 'lease-lost' | 'released',
    /** For a suspension: what it waits for was already there; the run is to be taken up again at once. */
    readonly wakeNow = false,
    /** For a suspension: when its timer fires (a sleep's end, a wait's timeout), if it has one. */
    readonly wakeAt?: number,
  ) {
    super(`The run stopped in this process (${reason}); it goes on where its store says.`);
  }
}
