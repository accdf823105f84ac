import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import type { RunErrorClassifier } from './run-error-classifier.js';

/**
 * Maps errors of runs before any exception filter sees them, when an application's own global
 * catch-all filter would otherwise take them unmapped (N6). `OrkaModule` installs it as a global
 * interceptor only then: an interceptor puts every route on Nest's rxjs path, which other applications
 * should not pay for.
 */
@Injectable()
export class OrkaHttpInterceptor implements NestInterceptor {
  private mapper: RunErrorClassifier | null = null;

  /** @internal Says how errors are mapped; called by `OrkaModule` while the application starts. */
  setup(mapper: RunErrorClassifier): void {
    this.mapper = mapper;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const mapper = this.mapper;
    if (context.getType() !== 'http' || mapper === null) return next.handle();
    return next.handle().pipe(catchError((err: unknown) => throwError(() => mapper.toHttp(err))));
  }
}
