import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { orkaStorage } from '../runtime/orka-context.storage.js';

/**
 * Makes the HTTP request known to the runs its handler starts, for `OrkaContext.request` and
 * request-scoped pipelines (N5). A guard that lets every request through: the cheapest place where
 * Nest shows the request of a route (the one Nest's own `REQUEST` is) before its handler. An
 * interceptor would put every route on Nest's rxjs path, which cost about as much as the whole run;
 * a middleware sees, on Fastify, the raw Node request instead. The store is entered for the rest of
 * the request's async flow (`enterWith`, as nestjs-cls's guard does), and every request sets its own
 * before its handler runs. `OrkaModule` installs it only when context tracking is on.
 */
@Injectable()
export class OrkaRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') orkaStorage.enterWith({ request: context.switchToHttp().getRequest() });
    return true;
  }
}
