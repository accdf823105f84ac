import { HTTP_MAPPING_METADATA } from '../orka.constants.js';

/** How an error class maps to an HTTP response. */
export interface HttpMapping {
  status: number;
  /** The body's `error`; the error class's name when absent. */
  code?: string;
}

/**
 * Maps an error class (and its subclasses) to an HTTP status when a step throws it inside an HTTP
 * request: the body is `{ statusCode, error, message, pipeline, step, runId }`.
 *
 * ```ts
 * @MapToHttp(HttpStatus.CONFLICT, { code: 'USER_EXISTS' })
 * export class UserExistsError extends Error {}
 * ```
 * @publicApi
 */
export function MapToHttp(status: number, options: { code?: string } = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(
      HTTP_MAPPING_METADATA,
      { status, code: options.code } satisfies HttpMapping,
      target,
    );
  };
}
