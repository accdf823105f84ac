// What the HTTP benchmark serves and sends. Each variant is a Nest module started alone in its own
// process (see server.ts): AsyncLocalStorage, once used, costs every promise of the process, so an
// endpoint with OrkaContext must not share a process with the endpoints it is compared against.
//
// To benchmark another application (the sample app's POST /orders, say), add its modules here, with
// a hand-written module doing the same work with the same services, and give its request bodies:
// the suite compares every variant to the one named `hand`.
import type { Type } from '@nestjs/common';
import { requestBodies } from './checkout.domain.js';

export interface HttpVariant {
  /** Short name used in tables and on the command line. */
  name: string;
  /** What the tables say it is. */
  label: string;
  module: () => Promise<Type<unknown>>;
  /** Run only when named with --variants (see experiments.app.ts). */
  experimental?: boolean;
}

export const variants: HttpVariant[] = [
  {
    name: 'hand',
    label: 'hand-written controller + services, ValidationPipe',
    module: async () => (await import('./hand.app.js')).HandModule,
  },
  {
    name: 'orka',
    label: 'PipelineRunner, without OrkaContext',
    module: async () => (await import('./orka.app.js')).OrkaCheckoutModule,
  },
  {
    name: 'orka-ctx',
    label: 'PipelineRunner, OrkaContext used in a step',
    module: async () => (await import('./orka.app.js')).OrkaContextCheckoutModule,
  },
  {
    name: 'hand-cls',
    label: 'hand-written + nestjs-cls (request in its store, read in a service)',
    module: async () => (await import('./cls.app.js')).HandWithClsModule,
  },
  {
    name: 'hand-interceptor',
    label: 'hand-written + one pass-through global interceptor',
    module: async () => (await import('./experiments.app.js')).HandWithInterceptorModule,
    experimental: true,
  },
  {
    name: 'hand-als',
    label: 'hand-written + AsyncLocalStorage per request',
    module: async () => (await import('./experiments.app.js')).HandWithAlsModule,
    experimental: true,
  },
];

/** The endpoint and the bodies sent to it, alternately (autocannon cycles through them). */
export const endpoint = {
  method: 'POST' as const,
  path: '/orders',
  bodies: [requestBodies.vip, requestBodies.standard],
  invalid: requestBodies.invalid,
  /** Response fields that differ between apps by nature (generated ids), masked before comparing. */
  volatile: ['orderId', 'paymentId'],
};
