import { Injectable } from '@nestjs/common';
import { OrkaContextUnavailableError } from '../errors/orka-context-unavailable.error.js';
import { CONTEXT_DISABLED, CONTEXT_OUTSIDE_RUN } from '../orka.messages.js';
import { orkaStorage, type OrkaStore } from './orka-context.storage.js';

/**
 * The current run, anywhere inside it: in steps, in the services they call, in sub-runs. A singleton
 * backed by AsyncLocalStorage, so services that inject it stay singletons. Every member throws
 * outside a run. The type argument types `request` (the injected instance is the same either way).
 *
 * ```ts
 * constructor(private readonly orka: OrkaContext<Request>) {}
 * audit() { this.log.info(`run ${this.orka.runId} at ${this.orka.step} for ${this.orka.request?.ip}`); }
 * ```
 * @publicApi
 */
@Injectable()
export class OrkaContext<TRequest = unknown> {
  /** @internal Whether this application's runs track context; set at bootstrap. */
  trackingEnabled = false;

  /** The current run's context object. */
  current<C = unknown>(): C {
    return this.store('current()').ctx as C;
  }

  /** The current run's id (the sub-run's, inside a sub-run). */
  get runId(): string {
    return this.store('runId').run!.runId;
  }

  /** The current pipeline's name. */
  get pipeline(): string {
    return this.store('pipeline').run!.pipeline;
  }

  /** The current step's name. */
  get step(): string {
    return this.store('step').run!.step;
  }

  /**
   * The HTTP request the run started in (inherited by sub-runs); undefined outside HTTP, and in a
   * durable run resumed after the request was gone.
   */
  get request(): TRequest | undefined {
    return this.store('request').request as TRequest | undefined;
  }

  /** Whether the caller is inside a run. */
  get active(): boolean {
    return orkaStorage.getStore()?.run !== undefined;
  }

  private store(member: string): OrkaStore {
    const store = orkaStorage.getStore();
    if (store?.run !== undefined) return store;
    throw new OrkaContextUnavailableError(
      this.trackingEnabled ? CONTEXT_OUTSIDE_RUN(member) : CONTEXT_DISABLED(member),
    );
  }
}
