import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { RunTimeoutError, StepTimeoutError, runFailure } from '@orka/core';
import type { HttpMapping } from '../decorators/map-to-http.decorator.js';
import { OrkaShutdownError } from '../errors/orka-shutdown.error.js';
import { OrkaValidationError } from '../errors/orka-validation.error.js';
import type { ErrorMapping } from '../interfaces/orka-module-options.interface.js';
import { HTTP_MAPPING_METADATA } from '../orka.constants.js';
import { RUN_FAILED_LOG } from '../orka.messages.js';

/**
 * Turns what a run threw into the HTTP response the client gets (N6). Errors that did not come out
 * of a run, and `HttpException`s, are returned unchanged, so the application's own filters see them.
 */
export class OrkaErrorMapper {
  private readonly logger = new Logger('Orka');

  constructor(
    private readonly mappings: ErrorMapping[],
    /** Whether 500s must be logged here (the run logger may have logged them already). */
    private readonly logServerErrors: boolean,
  ) {}

  /** The error to throw in place of `err`. */
  toHttp(err: unknown): unknown {
    if (err instanceof HttpException) return err;
    if (err instanceof OrkaValidationError) {
      return new HttpException(
        { statusCode: 400, error: 'ORKA_VALIDATION', message: err.messages, pipeline: err.pipeline },
        HttpStatus.BAD_REQUEST,
        { cause: err },
      );
    }
    if (err instanceof OrkaShutdownError) {
      return new HttpException(
        { statusCode: 503, error: 'ORKA_SHUTDOWN', message: err.message },
        HttpStatus.SERVICE_UNAVAILABLE,
        { cause: err },
      );
    }
    const failure = runFailure(err);
    if (!failure) return err;
    const where = { pipeline: failure.pipeline, step: failure.step, runId: failure.rootRunId };
    const mapping = httpMappingOf(err, this.mappings);
    if (mapping) {
      return this.exception(mapping.status, mapping.code ?? (err as Error).constructor.name, err, where);
    }
    if (err instanceof StepTimeoutError)
      return this.exception(HttpStatus.GATEWAY_TIMEOUT, 'STEP_TIMEOUT', err, where);
    if (err instanceof RunTimeoutError)
      return this.exception(HttpStatus.GATEWAY_TIMEOUT, 'RUN_TIMEOUT', err, where);
    if (this.logServerErrors) {
      this.logger.error(RUN_FAILED_LOG(failure, err), err instanceof Error ? err.stack : undefined);
    }
    // The client learns that it failed and which run to quote; nothing of the error itself.
    return new HttpException(
      { statusCode: 500, message: 'Internal server error', runId: failure.rootRunId },
      HttpStatus.INTERNAL_SERVER_ERROR,
      { cause: err },
    );
  }

  private exception(
    status: number,
    error: string,
    err: unknown,
    where: { pipeline: string; step: string; runId: string },
  ): HttpException {
    const message = err instanceof Error ? err.message : String(err);
    return new HttpException({ statusCode: status, error, message, ...where }, status, { cause: err });
  }
}

/**
 * The HTTP mapping of an error's class or its nearest mapped ancestor: `@MapToHttp` first, then the
 * classes listed in `forRoot({ errors })`.
 */
export function httpMappingOf(err: unknown, listed: readonly ErrorMapping[]): HttpMapping | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  for (
    let cls = err.constructor as unknown;
    typeof cls === 'function' && cls !== Object;
    cls = Object.getPrototypeOf(cls)
  ) {
    const own = Reflect.getOwnMetadata(HTTP_MAPPING_METADATA, cls as object) as HttpMapping | undefined;
    if (own) return own;
    const mapping = listed.find((m) => m.error === cls);
    if (mapping) return { status: mapping.status, code: mapping.code };
  }
  return undefined;
}
