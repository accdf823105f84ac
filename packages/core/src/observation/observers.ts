import type { OrkaEvent } from '../types/events.js';
import type { Observer } from '../types/events.js';

// One registry per process, shared by the ESM and the CommonJS build of this package: an application
// may load both (a CommonJS dependency beside ESM code), and a global observer must see every run.
const registryKey = Symbol.for('orka:global-observers');
type GlobalWithRegistry = typeof globalThis & { [registryKey]?: Observer[] };

// Looked up once: every run asks whether anything listens, and the global object is slow to search.
const list: Observer[] = ((globalThis as GlobalWithRegistry)[registryKey] ??= []);

function registry(): Observer[] {
  return list;
}

/**
 * Attaches an observer to every run in this process, sub-runs included (K13). Returns the function
 * that detaches it.
 */
export function addObserver(observer: Observer): () => void {
  const list = registry();
  list.push(observer);
  return () => {
    const i = list.indexOf(observer);
    if (i !== -1) list.splice(i, 1);
  };
}

/** The global observers now attached; empty most of the time, which keeps runs free of event objects. */
export function globalObservers(): readonly Observer[] {
  return registry();
}

/** Calls an observer, ignoring what it throws: an observer watches, it must never change a run. */
export function notify(observer: Observer, event: OrkaEvent): void {
  try {
    observer(event);
  } catch {
    // Deliberately ignored; see above.
  }
}

/**
 * One observer that passes every event to each of `observers` (undefined ones skipped), each on its
 * own: one that throws does not keep the others from the event. Undefined when none is given.
 */
export function combineObservers(...observers: (Observer | undefined)[]): Observer | undefined {
  const list = observers.filter((o): o is Observer => o !== undefined);
  if (list.length <= 1) return list[0];
  return (event) => {
    for (const observer of list) notify(observer, event);
  };
}
