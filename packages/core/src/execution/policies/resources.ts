/** Something a run can release: a disposable, a closable, or a cleanup function. */
export type RunResource =
  | { [Symbol.asyncDispose](): PromiseLike<void> }
  | { [Symbol.dispose](): void }
  | { close(): unknown }
  | { dispose(): unknown }
  | (() => unknown);

/**
 * Resources that live as long as one run (K9). Whatever is added is released in reverse order after
 * the run's finishers, on every exit: through `Symbol.asyncDispose`, `Symbol.dispose`, `close()` or
 * `dispose()`, the first that it has; a function is called.
 */
export class RunResources {
  private readonly items: unknown[] = [];

  /**
   * Adds a resource to release when the run ends, and returns it. A value with none of the release
   * methods of {@link RunResource} is held and left alone.
   */
  add<T>(resource: T): T {
    this.items.push(resource);
    return resource;
  }

  /** How many resources are held. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Releases every resource in reverse order of addition; all are released even if some throw.
   * Resolves to the errors thrown, in the order they were thrown.
   */
  async releaseAll(): Promise<unknown[]> {
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      const item = this.items.pop()!;
      try {
        await release(item);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }
}

async function release(item: unknown): Promise<void> {
  if (typeof item === 'function') {
    await (item as () => unknown)();
    return;
  }
  if (typeof item !== 'object' || item === null) return;
  const r = item as Partial<Record<symbol | 'close' | 'dispose', () => unknown>>;
  const fn = r[Symbol.asyncDispose] ?? r[Symbol.dispose] ?? r.close ?? r.dispose;
  if (typeof fn === 'function') await fn.call(item);
}
