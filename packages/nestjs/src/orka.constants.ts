// Metadata keys and DI tokens. Registered symbols and namespaced strings only: the ESM and the
// CommonJS build of this package may both be loaded in one process, and must see each other's
// decorators and providers.

/** Class metadata of `@Pipeline()`. */
export const PIPELINE_METADATA = 'orka:pipeline';
/** Method metadata gathered from every Orka method decorator. */
export const HANDLER_METADATA = 'orka:handler';
/** Class metadata of `@MapToHttp()` on error classes. */
export const HTTP_MAPPING_METADATA = 'orka:http-mapping';
/** The token of the module's resolved options. */
export const ORKA_MODULE_OPTIONS = Symbol.for('orka:module-options');
/** The token of step handler overrides made by `@orka/nestjs/testing`. */
export const ORKA_STEP_OVERRIDES = Symbol.for('orka:step-overrides');
