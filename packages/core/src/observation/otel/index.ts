/**
 * `@orka/core/otel`: OpenTelemetry spans for Orka runs. Needs `@opentelemetry/api` (an optional peer
 * dependency); importing `@orka/core` itself never loads it.
 */
export { createOtelObserver, OrkaSpanAttributes, type OtelObserverOptions } from './otel-observer.js';
