import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ApplicationConfig, BaseExceptionFilter } from '@nestjs/core';
import { throwError } from 'rxjs';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { OrkaErrorMapper } from './error-mapper.js';

type ErrorClass = abstract new (...args: never[]) => unknown;

// The key under which `@Catch()` stores its exception classes (stable in Nest 11 and 12).
const catchExceptionsKey = '__filterCatchExceptions__';

/**
 * Answers the errors of runs inside HTTP requests as the right responses (N6). A global filter rather
 * than an interceptor: a filter costs nothing until something throws, while any global interceptor
 * puts every route of the application on Nest's rxjs path.
 *
 * It catches everything, so that errors of any class that came out of a run can be mapped. What is not
 * an error of a run (and what it maps an error to) goes on to the global filter Nest would have chosen
 * next, or to Nest's default handling: the application's own filters keep working as before.
 * @publicApi
 */
@Catch()
export class OrkaExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: ApplicationConfig,
    private readonly mapper: OrkaErrorMapper,
    @Inject(ORKA_MODULE_OPTIONS) options: OrkaModuleOptions,
  ) {
    super();
    this.mapping = options.httpErrors !== false;
  }

  private readonly mapping: boolean;

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const mapped = host.getType() === 'http' && this.mapping ? this.mapper.toHttp(exception) : exception;
    return this.handOn(mapped, host);
  }

  /**
   * Whether a global filter that Nest tries before this one catches every error (an application's own
   * catch-all, registered with `app.useGlobalFilters` after Orka's): run errors would then reach it
   * unmapped, so `OrkaModule` maps them earlier, in its interceptor.
   */
  shadowed(): boolean {
    const filters = this.config.getGlobalFilters() as unknown[];
    return filters.slice(filters.indexOf(this) + 1).some((filter) => {
      if (typeof (filter as Partial<ExceptionFilter> | undefined)?.catch !== 'function') return false;
      const types = catchTypes(filter);
      return types.length === 0 || types.includes(Error);
    });
  }

  /** Passes the error to the global filter Nest tries after this one, or to Nest's default handling. */
  private handOn(exception: unknown, host: ArgumentsHost): unknown {
    const filters = this.config.getGlobalFilters() as unknown[];
    // Nest tries global filters from the last registered to the first.
    for (let i = filters.indexOf(this) - 1; i >= 0; i--) {
      const filter = filters[i] as Partial<ExceptionFilter> | undefined;
      if (typeof filter?.catch !== 'function') continue;
      const types = catchTypes(filter);
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

/** The exception classes a filter's `@Catch()` names; none means it catches everything. */
function catchTypes(filter: unknown): ErrorClass[] {
  const cls = (filter as { constructor?: object }).constructor;
  return (cls && (Reflect.getMetadata(catchExceptionsKey, cls) as ErrorClass[] | undefined)) ?? [];
}
