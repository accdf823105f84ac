import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The Studio's token: `ORKA_STUDIO_TOKEN`, else a random one made at each start (and printed by main.ts). */
export const STUDIO_TOKEN = process.env.ORKA_STUDIO_TOKEN ?? randomBytes(18).toString('base64url');

const COOKIE = 'orka_studio';

interface HttpRequest {
  url: string;
  headers: Record<string, string | undefined>;
}
interface HttpResponse {
  setHeader(name: string, value: string): unknown;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The demo's guard of Orka Studio: the page opened once with `?token=<token>` sets an HttpOnly,
 * same-site cookie that the page's own requests then carry; a bearer token works for scripts.
 */
@Injectable()
export class StudioTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const fromQuery = new URL(req.url, 'http://localhost').searchParams.get('token');
    if (fromQuery !== null && same(fromQuery, STUDIO_TOKEN)) {
      http
        .getResponse<HttpResponse>()
        .setHeader('Set-Cookie', `${COOKIE}=${STUDIO_TOKEN}; HttpOnly; SameSite=Strict; Path=/orka`);
      return true;
    }
    const cookie = /(?:^|;\s*)orka_studio=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return [cookie, bearer].some((t) => t !== undefined && same(t, STUDIO_TOKEN));
  }
}
