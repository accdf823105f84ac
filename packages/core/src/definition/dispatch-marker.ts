/**
 * Marks the handler that dispatches a conditional step's branches (K6), so that exports can tell it
 * apart from the step's own handlers and the compiler can tell the executor which steps end with one.
 * A registered symbol: the ESM and CommonJS builds of the package mark alike.
 */
export const dispatchMarker = Symbol.for('orka:conditional-dispatch');
