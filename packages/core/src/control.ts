/**
 * Tells the engine to go on with the next handler, phase or step.
 * Returning nothing from a handler means the same.
 *
 * A registered symbol (not a module-local object) so that the ESM and the CommonJS build of
 * `@orka/core`, if both end up loaded in one process, agree on what `Continue` is.
 */
export const Continue: unique symbol = Symbol.for('orka:control:continue');

/**
 * Ends the run at once: the remaining handlers, phases and steps do not run, and the run's outcome
 * is `stopped` (K2).
 */
export const Stop: unique symbol = Symbol.for('orka:control:stop');

/** What a handler may return to steer the run: {@link Continue} or {@link Stop}. */
export type Control = typeof Continue | typeof Stop;
