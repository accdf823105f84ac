import type { Type } from '@nestjs/common';
import type { ContextOrigin, ContextPreparer } from '@orka/core';
import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { OrkaValidationError } from '../errors/orka-validation.error.js';
import { sanitizeInput } from './sanitize-input.js';

/** How inputs are validated. */
export interface ContextValidationSettings {
  forbidUnknownProperties: boolean;
  validatorOptions?: ValidatorOptions;
  transformOptions?: ClassTransformOptions;
}

/**
 * Makes the `prepare` hook of a pipeline with a context class (N4): an instance of the class is
 * validated as it is and becomes the context; anything else is sanitised, transformed into a new
 * instance, then validated. A sub-run that shares its parent's context object gets that very object,
 * checked against the class without the check for undeclared properties.
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
        sanitizeInput({ ...(input as object) }),
        settings.transformOptions,
      );
      await check(pipeline, copy, settings, false);
      return input as C;
    }
    const instance =
      input instanceof contextClass
        ? input
        : plainToInstance(contextClass, sanitizeInput(input ?? {}), settings.transformOptions);
    if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
      throw new OrkaValidationError(pipeline, ['input must be an object'], []);
    }
    await check(pipeline, instance, settings, settings.forbidUnknownProperties);
    return instance;
  };
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
