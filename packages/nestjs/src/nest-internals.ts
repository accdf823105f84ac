// Every place where Orka relies on something of Nest that Nest's public API does not offer, each with
// why. test/nest-internals.spec.ts pins the behaviour each one relies on, on Nest 12 here and on Nest
// 11 in compat/nest11, so that a Nest release that changes one of them fails there first.
import type { Type } from '@nestjs/common';
import type { ApplicationConfig, DiscoveryService, ModulesContainer } from '@nestjs/core';

/** A provider or controller as Nest's discovery lists it (its wrapper class is internal to Nest). */
export type DiscoveredWrapper = ReturnType<DiscoveryService['getProviders']>[number];

/**
 * Makes Nest call `moduleClass`'s `onModuleDestroy` hooks before any other module's. Nest calls
 * destroy hooks module by module, ordered by the module's `distance` from the root (global modules
 * last), read once when the first hooks run: call it before the application initializes (OrkaModule
 * does, in its constructor). No public API sets the order. The runner drains runs in flight there
 * (N9), and they must finish while the services they use are still alive.
 */
export function destroyFirst(modules: ModulesContainer, moduleClass: Type<unknown>): void {
  for (const moduleRef of modules.values()) {
    if (moduleRef.metatype === moduleClass) moduleRef.distance = 0;
  }
}

/**
 * The application's global exception filters, in registration order. `ApplicationConfig` is exported
 * by @nestjs/core but not documented; no public API lists the filters, and Orka's own filter must hand
 * errors it does not map to the one Nest would have chosen next (N6).
 */
export function globalFilters(config: ApplicationConfig): unknown[] {
  return config.getGlobalFilters() as unknown[];
}

/**
 * Adds a global interceptor while the application starts. The public way, an `APP_INTERCEPTOR`
 * provider, is static: it would put every route of every application on Nest's interceptor path
 * (about 24 us a request here), while Orka needs its interceptor only when context tracking is on or
 * an application's own catch-all filter comes before Orka's; that is known at bootstrap only.
 */
export function addGlobalInterceptor(config: ApplicationConfig, interceptor: object): void {
  config.addGlobalInterceptor(interceptor as Parameters<ApplicationConfig['addGlobalInterceptor']>[0]);
}

/** Adds a global guard while the application starts, for the same reason (an `APP_GUARD` is static). */
export function addGlobalGuard(config: ApplicationConfig, guard: object): void {
  config.addGlobalGuard(guard as Parameters<ApplicationConfig['addGlobalGuard']>[0]);
}

/** The exception classes a filter's `@Catch()` names (none: it catches everything). Nest keeps them under this key. */
export function caughtTypes(filter: unknown): (abstract new (...args: never[]) => unknown)[] {
  const cls = (filter as { constructor?: object } | null)?.constructor;
  return (cls && (Reflect.getMetadata('__filterCatchExceptions__', cls) as never[] | undefined)) ?? [];
}

/**
 * Whether a class asks Nest for `token` through its constructor or a property. Besides TypeScript's own
 * `design:paramtypes`, Nest records `@Inject(token)` on a parameter under `self:paramtypes` and on a
 * property under `self:properties_metadata`; no public API reads either.
 */
export function injects(cls: Type<unknown>, token: unknown): boolean {
  const params = (Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined) ?? [];
  const explicit = (Reflect.getMetadata('self:paramtypes', cls) as { param: unknown }[] | undefined) ?? [];
  const properties =
    (Reflect.getMetadata('self:properties_metadata', cls) as { type: unknown }[] | undefined) ?? [];
  return (
    params.includes(token) ||
    explicit.some((p) => p.param === token) ||
    properties.some((p) => p.type === token)
  );
}

/**
 * Nest's error for a dependency it cannot resolve names a class by its `name`: giving the classes that
 * only `OrkaModule` provides a name that says so turns "the argument PipelineRunner" into "the argument
 * PipelineRunner (import OrkaModule.forRoot() in the root module)" for an application that forgot it.
 * Stack traces keep the class's own name; `name` is display only in Nest.
 */
export function nameForMissingModule(classes: Type<unknown>[], hint: string): void {
  for (const cls of classes) {
    if (!cls.name.includes(hint)) Object.defineProperty(cls, 'name', { value: `${cls.name} (${hint})` });
  }
}
