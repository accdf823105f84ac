import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApplicationConfig, BaseExceptionFilter } from '@nestjs/core';
import { throwError } from 'rxjs';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { caughtTypes, globalFilters } from '../nest-internals.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { RunErrorClassifier } from './run-error-classifier.js';

/**
 * Answers the errors of runs inside HTTP requests as the right responses (N6). A global filter rather
 * than an interceptor: a filter costs nothing until something throws, while any global interceptor
 * puts every route of the application on Nest's rxjs path.
 *
 * It catches everything, so that errors of any class that came out of a run can be mapped. What is not
 * an error of a run (and what it maps an error to) goes on to the global filter Nest would have chosen
 * next, or to Nest's default handling: the application's own filters keep working as before. When an
 * application's own catch-all filter comes first, `OrkaModule` has the interceptor map instead, and
 * this filter only hands errors on (the choice is made once, at bootstrap).
 * @publicApi
 */
@Catch()
export class OrkaExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  private mapsErrors: boolean;

  constructor(
    private readonly config: ApplicationConfig,
    private readonly classifier: RunErrorClassifier,
    @Inject(ORKA_MODULE_OPTIONS) options: OrkaModuleOptions,
  ) {
    super();
    this.mapsErrors = options.httpErrors !== false;
  }

  /** @internal Set by `OrkaModule` at bootstrap when the interceptor maps errors instead. */
  handOnOnly(): void {
    this.mapsErrors = false;
  }

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const mapped =
      host.getType() === 'http' && this.mapsErrors ? this.classifier.toHttp(exception) : exception;
    return this.handOn(mapped, host);
  }

  /**
   * Whether a global filter that Nest tries before this one catches every error (an application's own
   * catch-all, registered with `app.useGlobalFilters` after Orka's): run errors would then reach it
   * unmapped, so `OrkaModule` maps them earlier, in its interceptor.
   */
  shadowed(): boolean {
    const filters = globalFilters(this.config);
    return filters.slice(filters.indexOf(this) + 1).some((filter) => {
      if (typeof (filter as Partial<ExceptionFilter> | undefined)?.catch !== 'function') return false;
      const types = caughtTypes(filter);
      return types.length === 0 || types.includes(Error);
    });
  }

  /** Passes the error to the global filter Nest tries after this one, or to Nest's default handling. */
  private handOn(exception: unknown, host: ArgumentsHost): unknown {
    const filters = globalFilters(this.config);
    // Nest tries global filters from the last registered to the first.
    for (let i = filters.indexOf(this) - 1; i >= 0; i--) {
      const filter = filters[i] as Partial<ExceptionFilter> | undefined;
      if (typeof filter?.catch !== 'function') continue;
      const types = caughtTypes(filter);
      if (types.length === 0 || types.some((t) => exception instanceof t))
        return filter.catch(exception, host);
    }
    const type = host.getType<string>();
    if (type === 'http') return super.catch(exception, host);
    // Outside HTTP (a hybrid application sharing this configuration, GraphQL) the transport's own
    // handling applies: an RPC filter answers with an erroring observable, the others rethrow.
    if (type === 'rpc') return throwError(() => exception);
    throw exception;
  }
}
