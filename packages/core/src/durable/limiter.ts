/**
 * At most `limit` of the calls it runs are in flight at once; the others wait their turn, in order.
 * `result()` waits on runs that execute elsewhere by reading the store: a thousand callers must not
 * turn into a thousand reads at once, which would starve the commits they are waiting for.
 */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
