import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { orkaStorage } from '../runtime/orka-context.storage.js';
import type { RunErrorClassifier } from './run-error-classifier.js';

/**
 * Makes the HTTP request known to the runs it starts, for `OrkaContext.request` and request-scoped
 * pipelines (N5), and maps errors of runs before any exception filter sees them when an application's
 * own global catch-all filter would otherwise take them unmapped (N6). `OrkaModule` installs it as a
 * global interceptor only when one of the two is needed: an interceptor puts every route on Nest's
 * rxjs path, which other applications should not pay for.
 */
@Injectable()
export class OrkaHttpInterceptor implements NestInterceptor {
  private captureRequest = false;
  private mapper: RunErrorClassifier | null = null;

  /** @internal Says what the interceptor does; called by `OrkaModule` while the application starts. */
  setup(captureRequest: boolean, mapper: RunErrorClassifier | null): void {
    this.captureRequest = captureRequest;
    this.mapper = mapper;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const mapper = this.mapper;
    const handle = (): Observable<unknown> =>
      mapper
        ? next.handle().pipe(catchError((err: unknown) => throwError(() => mapper.toHttp(err))))
        : next.handle();
    if (!this.captureRequest) return handle();
    const request: unknown = context.switchToHttp().getRequest();
    // Nest binds the handler to the async context current when handle() is called: call it inside.
    return new Observable((subscriber) => orkaStorage.run({ request }, () => handle().subscribe(subscriber)));
  }
}
