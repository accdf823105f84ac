import { HttpException, HttpStatus } from '@nestjs/common';
import {
  RunFailedError,
  RunFinishedError,
  RunNotFoundError,
  RunTimeoutError,
  SignalTimeoutError,
  StepTimeoutError,
  runFailure,
} from '@orka/core';
import { httpMappingByName, type HttpMapping } from './map-to-http.decorator.js';
import { OrkaShutdownError } from '../errors/orka-shutdown.error.js';
import { OrkaValidationError } from '../errors/orka-validation.error.js';
import type { ErrorMapping } from '../interfaces/orka-module-options.interface.js';
import { HTTP_MAPPING_METADATA } from '../orka.constants.js';
import { RUN_TIMEOUT_BODY, STEP_TIMEOUT_BODY } from '../orka.messages.js';

/**
 * The one place that decides, for any error of a run, how it leaves the application (N6): the HTTP
 * response the client gets, and whether the failure is the client's doing (a 4xx, logged at warn) or a
 * fault (logged at error). The runner logs each failed run once with that level; the exception filter
 * or interceptor answers with that response. Errors that did not come out of a run, and
 * `HttpException`s, are returned unchanged, so the application's own filters see them.
 */
export class RunErrorClassifier {
  constructor(private readonly mappings: ErrorMapping[]) {}

  /** The error to throw in place of `err`. */
  toHttp(err: unknown): unknown {
    if (err instanceof HttpException) return err;
    // Invalid input of the run itself is the client's mistake. Invalid input that a step built for a
    // sub-run (it escaped a run, so runFailure knows it) is the application's: a 500 below.
    if (err instanceof OrkaValidationError && runFailure(err) === undefined) {
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
    // Asking about a durable run that does not exist, or has ended: the caller's mistake (N11).
    if (err instanceof RunNotFoundError)
      return this.plain(HttpStatus.NOT_FOUND, err.code, err.message, { runId: err.runId }, err);
    if (err instanceof RunFinishedError)
      return this.plain(HttpStatus.CONFLICT, err.code, err.message, { runId: err.runId }, err);
    const failure = runFailure(err);
    if (!failure) return err;
    const where = { pipeline: failure.pipeline, step: failure.step, runId: failure.rootRunId };
    const mapping = httpMappingOf(err, this.mappings);
    if (mapping) {
      const message = err instanceof Error ? err.message : String(err);
      return this.exception(
        mapping.status,
        mapping.code ?? (err as Error).constructor.name,
        message,
        err,
        where,
      );
    }
    // A durable run that failed elsewhere, or before a restart, maps as its error's class would.
    if (err instanceof RunFailedError) {
      const byName =
        httpMappingByName(err.originalName) ?? this.mappings.find((m) => m.error.name === err.originalName);
      if (byName) {
        return this.exception(byName.status, byName.code ?? err.originalName, err.message, err, where);
      }
    }
    if (err instanceof SignalTimeoutError) {
      return this.exception(HttpStatus.GATEWAY_TIMEOUT, err.code, err.message, err, where);
    }
    // The kernel's timeout messages end with advice for the developer, which belongs in the log only.
    if (err instanceof StepTimeoutError) {
      const message = STEP_TIMEOUT_BODY(err.pipeline, err.step, err.budgetMs);
      return this.exception(HttpStatus.GATEWAY_TIMEOUT, 'STEP_TIMEOUT', message, err, where);
    }
    if (err instanceof RunTimeoutError) {
      const message = RUN_TIMEOUT_BODY(err.pipeline, err.budgetMs);
      return this.exception(HttpStatus.GATEWAY_TIMEOUT, 'RUN_TIMEOUT', message, err, where);
    }
    // The client learns that it failed and which run to quote; nothing of the error itself.
    return internalServerError(err, failure.rootRunId);
  }

  /**
   * The response an HTTP request gets for `err` (N6), as an `HttpException` in every case: errors that
   * are not mapped answer 500 without detail, as Nest answers unknown errors.
   */
  toHttpException(err: unknown): HttpException {
    return asHttpException(this.toHttp(err));
  }

  /** How a failed run is logged: `warn` when it is the client's doing (a 4xx answer), else `error`. */
  logLevel(err: unknown): 'warn' | 'error' {
    const http = this.toHttp(err);
    return http instanceof HttpException && http.getStatus() < 500 ? 'warn' : 'error';
  }

  private plain(
    status: number,
    error: string,
    message: string,
    fields: Record<string, string>,
    err: unknown,
  ): HttpException {
    return new HttpException({ statusCode: status, error, message, ...fields }, status, { cause: err });
  }

  private exception(
    status: number,
    error: string,
    message: string,
    err: unknown,
    where: { pipeline: string; step: string; runId: string },
  ): HttpException {
    return new HttpException({ statusCode: status, error, message, ...where }, status, { cause: err });
  }
}

/** `err` if it is an `HttpException`, else the 500 without detail that Nest answers unknown errors with. */
export function asHttpException(err: unknown): HttpException {
  return err instanceof HttpException ? err : internalServerError(err);
}

function internalServerError(err: unknown, runId?: string): HttpException {
  return new HttpException(
    { statusCode: 500, message: 'Internal server error', ...(runId !== undefined && { runId }) },
    HttpStatus.INTERNAL_SERVER_ERROR,
    { cause: err },
  );
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
