import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { STUDIO_CSP } from '../page/studio-page.js';

interface ResponseLike {
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

/** The headers of every Studio response (V5): a strict CSP, no sniffing, no referrer, no caching. */
export class SecurityHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<ResponseLike>();
    const set = (name: string, value: string) =>
      res.setHeader ? res.setHeader(name, value) : res.header?.(name, value);
    set('Content-Security-Policy', STUDIO_CSP);
    set('X-Content-Type-Options', 'nosniff');
    set('Referrer-Policy', 'no-referrer');
    set('Cache-Control', 'no-store');
    return next.handle();
  }
}
