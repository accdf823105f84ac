import type { Type } from '@nestjs/common';
import type { ContextOrigin, ContextPreparer } from '@orka/core';
import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { OrkaValidationError } from '../errors/orka-validation.error.js';
import { statePropertiesOf } from '../decorators/state.decorator.js';
import {
  INPUT_NOT_AN_OBJECT,
  INPUT_TOO_DEEP,
  PAYLOAD_NOT_AN_OBJECT,
  STATE_IN_INPUT,
} from '../orka.messages.js';
import { InputTooDeep, sanitizeInput } from './sanitize-input.js';

/** How inputs are validated. */
export interface ContextValidationSettings {
  forbidUnknownProperties: boolean;
  /** How deep objects and arrays may nest in an input. */
  maxDepth: number;
  validatorOptions?: ValidatorOptions;
  transformOptions?: ClassTransformOptions;
}

/**
 * Makes the `prepare` hook of a pipeline with a context class (N4): an instance of the class is
 * validated as it is and becomes the context; anything else is sanitised, transformed into a new
 * instance, then validated. A sub-run that shares its parent's context object gets that very object,
 * checked against the class without the check for undeclared properties. The input of a top-level
 * run may not set the class's `@State()` properties.
 */
export function contextPreparer<C extends object>(
  pipeline: string,
  contextClass: Type<C>,
  settings: ContextValidationSettings,
): ContextPreparer<C> {
  return async (input: unknown, origin: ContextOrigin): Promise<C> => {
    if (origin.sharedWithParent) {
      // The parent's own context object: checked against this class, but its other fields are expected.
      // The check runs on a copy, so that validator options such as `whitelist` never strip the parent's fields.
      const copy = plainToInstance(
        contextClass,
        sanitized(pipeline, { ...(input as object) }, settings),
        settings.transformOptions,
      );
      await check(pipeline, copy, settings, false);
      return input as C;
    }
    if (input instanceof contextClass) {
      await check(pipeline, input, settings, settings.forbidUnknownProperties);
      return input;
    }
    const plain = sanitized(pipeline, input ?? {}, settings);
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
      throw new OrkaValidationError(pipeline, [INPUT_NOT_AN_OBJECT], []);
    }
    if (origin.parentRunId === undefined) rejectState(pipeline, contextClass, plain);
    const instance = plainToInstance(contextClass, plain, settings.transformOptions) as C;
    await check(pipeline, instance, settings, settings.forbidUnknownProperties);
    return instance;
  };
}

/**
 * A signal's payload validated into its class (N11), as a run's input is (N4): the sanitized plain
 * payload back (what the store keeps), or `OrkaValidationError` listing each failed constraint.
 */
export async function validPayload(
  pipeline: string,
  payloadClass: Type<object>,
  payload: unknown,
  settings: ContextValidationSettings,
): Promise<unknown> {
  const plain = sanitized(pipeline, payload ?? {}, settings);
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new OrkaValidationError(pipeline, [PAYLOAD_NOT_AN_OBJECT], []);
  await check(
    pipeline,
    plainToInstance(payloadClass, plain, settings.transformOptions),
    settings,
    settings.forbidUnknownProperties,
  );
  return plain;
}

function sanitized(pipeline: string, input: unknown, settings: ContextValidationSettings): unknown {
  const copy = sanitizeInput(input, settings.maxDepth);
  if (copy instanceof InputTooDeep)
    throw new OrkaValidationError(pipeline, [INPUT_TOO_DEEP(copy.maxDepth)], []);
  return copy;
}

/** Properties that steps write are never taken from a client's input. */
function rejectState(pipeline: string, contextClass: object, input: object): void {
  const given = statePropertiesOf(contextClass).filter((p) => Object.hasOwn(input, p));
  if (given.length > 0) throw new OrkaValidationError(pipeline, given.map(STATE_IN_INPUT), []);
}

async function check(
  pipeline: string,
  instance: object,
  settings: ContextValidationSettings,
  strict: boolean,
) {
  const errors = await validate(instance, {
    ...settings.validatorOptions,
    whitelist: strict || settings.validatorOptions?.whitelist === true,
    forbidNonWhitelisted: strict,
  });
  if (errors.length > 0) throw new OrkaValidationError(pipeline, flatten(errors), errors);
}

/** One line per failed constraint, with the property path before nested ones, as Nest's ValidationPipe writes them. */
function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) => (path ? `${path}.${m}` : m));
    const nested = flatten(e.children ?? [], path ? `${path}.${e.property}` : e.property);
    return [...own, ...nested];
  });
}
