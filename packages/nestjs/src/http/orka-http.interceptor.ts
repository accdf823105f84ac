import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { orkaStorage } from '../context/orka-context.storage.js';

/**
 * Makes the HTTP request known to the runs it starts, for `OrkaContext.request` and request-scoped
 * pipelines (N5). `OrkaModule` installs it as a global interceptor only when run context tracking is
 * on: an interceptor puts every route on Nest's rxjs path, which applications that do not use
 * `OrkaContext` should not pay for.
 */
@Injectable()
export class OrkaHttpInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request: unknown = context.switchToHttp().getRequest();
    // Nest binds the handler to the async context current when handle() is called: call it inside.
    return new Observable((subscriber) =>
      orkaStorage.run({ request }, () => next.handle().subscribe(subscriber)),
    );
  }
}
