/** The value of {@link Continue}. */
export interface ContinueControl {
  readonly orka: 'continue';
}

/** The value of {@link Stop}. */
export interface StopControl {
  readonly orka: 'stop';
}

/** What a handler may return to steer the run: {@link Continue} or {@link Stop}. */
export type Control = ContinueControl | StopControl;

// One instance of each per process, kept on a registered symbol: if both the ESM and the CommonJS
// build of `@orka/core` end up loaded in one process, they still agree on what `Stop` is.
type ControlRegistry = typeof globalThis & { [key: symbol]: Control | undefined };
function shared<T extends Control>(name: string, value: T): T {
  const g = globalThis as ControlRegistry;
  const key = Symbol.for(`orka:control:${name}`);
  return (g[key] ??= Object.freeze(value) as Control) as T;
}

/**
 * Tells the engine to go on with the next handler, phase or step (K2). Returning nothing from a
 * handler means the same.
 */
export const Continue: ContinueControl = shared('continue', { orka: 'continue' });

/**
 * Ends the run at once: the remaining handlers, phases and steps do not run, and the run's outcome
 * is `stopped` (K2).
 */
export const Stop: StopControl = shared('stop', { orka: 'stop' });
