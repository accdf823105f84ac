import { Inject, Injectable } from '@nestjs/common';
import type { RunResult } from '@orka/core';
import { setMaxListeners } from 'node:events';
import { OrkaShutdownError } from '../errors/orka-shutdown.error.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { SHUTDOWN_ABORT, SHUTTING_DOWN } from '../orka.messages.js';

/**
 * What a shutdown does to runs (N9): refuses new ones, lets those in flight finish within the grace
 * period, then aborts their signals (every run listens to `signal`) and waits for them to settle.
 */
@Injectable()
export class ShutdownGate {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly controller = new AbortController();
  private closing = false;

  constructor(@Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions) {
    // Every run listens to this signal; runs in flight may be many, so Node's listener warning is moot.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborts, with an `OrkaShutdownError`, the runs still in flight after the grace period. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The error to refuse a new run of `pipeline` with, once the application is shutting down. */
  refusal(pipeline: string): OrkaShutdownError | undefined {
    return this.closing ? new OrkaShutdownError(SHUTTING_DOWN(pipeline)) : undefined;
  }

  /** Keeps `run` in flight until it settles. */
  track(run: Promise<unknown>): void {
    this.inFlight.add(run);
    const settled = () => this.inFlight.delete(run);
    run.then(settled, settled);
  }

  /**
   * A run that the shutdown cancelled after the grace period did not succeed: it rejects with the
   * `OrkaShutdownError` (503 over HTTP) rather than resolving `cancelled`. A run cancelled by the
   * caller's own signal resolves `cancelled` as the kernel says.
   */
  check<C>(result: RunResult<C>, own: AbortSignal | undefined): RunResult<C> {
    if (result.outcome === 'cancelled' && this.signal.aborted && own?.aborted !== true)
      throw this.signal.reason;
    return result;
  }

  /** The grace period of a shutdown, in ms. */
  get graceMs(): number {
    return this.options.shutdownGraceMs ?? 10_000;
  }

  /**
   * `work`, or the `OrkaShutdownError` of a shutdown whose grace period ran out first: a caller waiting
   * on a durable run that this process let go (it goes on elsewhere) gets a 503, not a hanging request.
   */
  race<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const abort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', abort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  /** Refuses new runs, waits for those in flight, and aborts them when the grace period is over. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.inFlight.size === 0) return;
    const grace = this.graceMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), grace)));
    const result = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => 'done' as const),
      graceOver,
    ]);
    clearTimeout(timer);
    if (result === 'late') {
      this.controller.abort(new OrkaShutdownError(SHUTDOWN_ABORT(grace)));
      await Promise.allSettled([...this.inFlight]);
    }
  }
}
