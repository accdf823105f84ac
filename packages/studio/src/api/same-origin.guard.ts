import { ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CROSS_SITE } from '../studio.messages.js';

/** The header the Studio page sends with every action: a cross-site form cannot set it (V4). */
export const STUDIO_HEADER = 'x-orka-studio';

interface RequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Refuses an action (a POST) that does not come from the Studio page itself (V4): the browser's
 * `Sec-Fetch-Site` must say same-origin (or be absent, as from a script), an `Origin` must be the
 * request's own host, and the Studio's custom header must be there, which a cross-site form or a
 * simple cross-site request cannot send without a CORS preflight that this server does not grant.
 */
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestLike>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const site = header('sec-fetch-site');
    const origin = header('origin');
    const sameSite = site === undefined || site === 'same-origin';
    const sameOrigin = origin === undefined || hostOf(origin) === header('host');
    if (!sameSite || !sameOrigin || header(STUDIO_HEADER) !== '1') throw new ForbiddenException(CROSS_SITE);
    return true;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
