import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import { faultSpecs, parseFault } from './fault-settings.js';

/** Answers 400 to a request whose fault-injection headers are not values the fakes can use. */
@Injectable()
export class FaultHeadersMiddleware implements NestMiddleware {
  use(req: { headers: Record<string, unknown> }, _res: unknown, next: () => void): void {
    const problems = Object.values(faultSpecs).flatMap((spec) => {
      const value = parseFault(spec, req.headers[spec.header]);
      return typeof value === 'object' ? [value.invalid] : [];
    });
    if (problems.length > 0) throw new BadRequestException(problems);
    next();
  }
}
