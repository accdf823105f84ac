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
    const mapping = { status, code: options.code } satisfies HttpMapping;
    Reflect.defineMetadata(HTTP_MAPPING_METADATA, mapping, target);
    mappedByName().set(target.name, mapping);
  };
}

/**
 * The mapped classes by name: a durable run that failed in another process comes back as a
 * `RunFailedError` with only its error's class name, and maps as that class would (N11). On a global
 * symbol, so that the ESM and the CommonJS build of this package share it.
 */
function mappedByName(): Map<string, HttpMapping> {
  const key = Symbol.for('orka:http-mappings-by-name');
  const holder = globalThis as { [key]?: Map<string, HttpMapping> };
  return (holder[key] ??= new Map<string, HttpMapping>());
}

/** The mapping of the `@MapToHttp` class of that name, if any. */
export function httpMappingByName(name: string): HttpMapping | undefined {
  return mappedByName().get(name);
}
