import { Injectable, UnsupportedMediaTypeException, type NestMiddleware } from '@nestjs/common';

/**
 * Answers 415 to a request that sends a body in another format than JSON. Without it, the JSON body
 * parser skips such a body and the endpoint would see an empty one, answering 400 with every field
 * missing, which hides the real mistake.
 */
@Injectable()
export class RequireJsonMiddleware implements NestMiddleware {
  use(
    req: { headers: Record<string, string | string[] | undefined> },
    _res: unknown,
    next: () => void,
  ): void {
    const type = req.headers['content-type'];
    const hasBody =
      req.headers['content-length'] !== '0' &&
      (req.headers['content-length'] ?? req.headers['transfer-encoding']) !== undefined;
    if (hasBody && typeof type === 'string' && !/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
      throw new UnsupportedMediaTypeException(
        `Send the body as JSON (content-type: application/json), not ${type}.`,
      );
    }
    next();
  }
}
