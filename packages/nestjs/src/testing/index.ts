/**
 * `@orka/nestjs/testing`: helpers for testing pipelines in a Nest testing module. Needs
 * `@nestjs/testing` (an optional peer dependency).
 */
export { overrideStep } from './override-step.js';
export { collectTrace } from './collect-trace.js';
export { createOrkaTestingModule } from './create-orka-testing-module.js';
export { TraceCollector } from '@orka/core';
