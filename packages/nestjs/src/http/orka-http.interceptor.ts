import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { orkaStorage } from '../context/orka-context.storage.js';
import { PipelineRegistry } from '../pipeline.registry.js';
import { OrkaErrorMapper } from './error-mapper.js';

/**
 * The global interceptor of `OrkaModule`: maps the errors of runs to HTTP responses (N6), and, when
 * run context tracking is on, makes the request known to the runs it starts (N5). Registered once by
 * the module; it does nothing else, and nothing at all outside HTTP.
 */
@Injectable()
export class OrkaHttpInterceptor implements NestInterceptor {
  constructor(
    private readonly registry: PipelineRegistry,
    @Inject(OrkaErrorMapper) private readonly mapper: OrkaErrorMapper | null,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const mapper = this.mapper;
    const handle = () => {
      const handled = next.handle();
      return mapper
        ? handled.pipe(catchError((err: unknown) => throwError(() => mapper.toHttp(err))))
        : handled;
    };
    if (!this.registry.tracking) return handle();
    const request: unknown = context.switchToHttp().getRequest();
    // Nest binds the handler to the async context current when handle() is called: call it inside.
    return new Observable((subscriber) => orkaStorage.run({ request }, () => handle().subscribe(subscriber)));
  }
}
