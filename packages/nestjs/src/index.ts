/**
 * The npm name of this package. A placeholder export while the NestJS plugin (`OrkaModule`,
 * `PipelineRunner`, the decorators, and the re-exports of `@orka/core`) is being written.
 */
export const ORKA_NESTJS_PACKAGE = '@orka/nestjs';
