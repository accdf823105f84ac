// Metadata keys and DI tokens. Registered symbols and namespaced strings only: the ESM and the
// CommonJS build of this package may both be loaded in one process, and must see each other's
// decorators and providers.

/** Class metadata of `@Pipeline()`. */
export const PIPELINE_METADATA = 'orka:pipeline';
/** Method metadata gathered from every Orka method decorator. */
export const HANDLER_METADATA = 'orka:handler';
/** Class metadata of `@State()`: the context class's properties that steps write and input may not set. */
export const STATE_PROPERTIES_METADATA = 'orka:state-properties';
/** Class metadata of `@MapToHttp()` on error classes. */
export const HTTP_MAPPING_METADATA = 'orka:http-mapping';
/** The token of the module's resolved options. */
export const ORKA_MODULE_OPTIONS = Symbol.for('orka:module-options');
/** The token of step handler overrides made by `@orka/nestjs/testing`. */
export const ORKA_STEP_OVERRIDES = Symbol.for('orka:step-overrides');
/**
 * Provided by `OrkaModule` and injected into every `@Pipeline` class under {@link ORKA_MODULE_HINT_KEY}:
 * without the module, Nest's bootstrap error names that property, which says what to do.
 */
export const ORKA_MODULE_PRESENCE = 'OrkaModule.forRoot()';
/** The property of a pipeline instance that receives {@link ORKA_MODULE_PRESENCE}. */
export const ORKA_MODULE_HINT_KEY = Symbol.for('orka: import OrkaModule.forRoot() in the root module');
