// Small test utilities shared by the kernel's behaviour tests.

/** A run event as the contract describes it (CONTRACT.md section 4, "Events"). */
export interface Ev {
  type: string;
  runId: string;
  parentRunId?: string;
  pipeline: string;
  step?: string;
  at: number;
  [field: string]: unknown;
}

/** An observer that stores every event it receives, in order. */
export function recorder(): { events: Ev[]; observer: (event: unknown) => void } {
  const events: Ev[] = [];
  return {
    events,
    observer: (event: unknown) => {
      events.push(event as Ev);
    },
  };
}

/** Resolves after `ms` milliseconds (keep it tiny). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** A promise with its resolve/reject handles exposed. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Settles a promise into either its value or its rejection reason (never throws). */
export async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The rejection reason of a promise that must reject. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  const s = await settle(p);
  if (s.ok) throw new Error('expected the promise to reject, but it resolved');
  return s.error;
}

/** The error thrown by a function that must throw synchronously. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Events of the given types only, projected to "type:step". */
export function trail(events: Ev[], runId?: string): string[] {
  return events
    .filter((e) => runId === undefined || e.runId === runId)
    .map((e) => (e.step === undefined ? e.type : `${e.type}:${e.step}`));
}

/** Symbol.asyncDispose / Symbol.dispose, typed without relying on the "esnext.disposable" lib. */
export const asyncDisposeSymbol: symbol = (Symbol as unknown as { asyncDispose: symbol }).asyncDispose;
export const disposeSymbol: symbol = (Symbol as unknown as { dispose: symbol }).dispose;
