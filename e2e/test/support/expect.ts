import { expect } from '@jest/globals';

/** A run id as the bodies carry it: a non-empty string without spaces. */
export const aRunId = (): unknown => expect.stringMatching(/^\S+$/);

/** The exact body of an error mapped with `@MapToHttp` (N6). */
export function mappedErrorBody(
  statusCode: number,
  error: string,
  message: unknown,
  pipeline: string,
  step: string,
): Record<string, unknown> {
  return { statusCode, error, message, pipeline, step, runId: aRunId() };
}
