import type { ModuleMetadata, Type } from '@nestjs/common';
import type { Observer, RunnerRole, RunStore, RunTransport } from '@orka/core';
import type { ClassTransformOptions } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';

/** An error class mapped to an HTTP response, besides those carrying `@MapToHttp`. */
export interface ErrorMapping {
  /** The error class; its subclasses map the same way. */
  error: abstract new (...args: never[]) => Error;
  /** The HTTP status. */
  status: number;
  /** The body's `error`; the class's name when absent. */
  code?: string;
}

/** Options of `OrkaModule.forRoot()`. */
export interface OrkaModuleOptions {
  /** Error classes mapped to HTTP statuses, besides those carrying `@MapToHttp`. */
  errors?: ErrorMapping[];
  /** Map errors of runs to HTTP responses inside HTTP requests (N6). Default true. */
  httpErrors?: boolean;
  /** Input validation against a pipeline's context class. */
  validation?: {
    /** Reject properties the context class does not declare. Default true. */
    forbidUnknownProperties?: boolean;
    /**
     * How deep objects and arrays may nest in an input (default 32). Deeper input is rejected with
     * `OrkaValidationError` (400) before anything walks it.
     */
    maxDepth?: number;
    /** More class-validator options (whitelist and forbidNonWhitelisted follow the option above). */
    validatorOptions?: ValidatorOptions;
    /** More class-transformer options. */
    transformOptions?: ClassTransformOptions;
  };
  /** How long `app.close()` lets in-flight runs finish before aborting them, in ms. Default 10000. */
  shutdownGraceMs?: number;
  /** Observers of every run of the application. */
  observers?: Observer[];
  /**
   * Orka logs each failed run once, with Nest's Logger (context `Orka`): a fault (any failure not
   * answered with a 4xx) at error level with its stack, always; a failure the client caused (answered
   * with a 4xx, such as a duplicate user) at warn level without stack. `logger: false` turns off those
   * warn lines and the `logRuns` lines; faults are still logged. Default true.
   */
  logger?: boolean;
  /** One `verbose` line per finished top-level run that did not fail (pipeline, run id, outcome, time). Default false. */
  logRuns?: boolean;
  /**
   * Run context tracking for `OrkaContext` (AsyncLocalStorage): `'auto'` (default) turns it on when a
   * provider or controller injects `OrkaContext` through its constructor, or a pipeline is
   * request-scoped; `true` always; `false` never. Off, runs pay nothing for it.
   */
  context?: boolean | 'auto';
  /**
   * Where durable pipelines (`@Pipeline({ durable: true })`) keep their runs: `SqliteRunStore` from
   * `@orka/core/sqlite`, `PostgresRunStore` from `@orka/postgres`, or any `RunStore`. Default: a
   * `MemoryRunStore` (durable semantics within the process, nothing kept across restarts). Opened at
   * bootstrap when a durable pipeline exists; closed at shutdown after runs in flight drained.
   */
  store?: RunStore;
  /**
   * Durable runs go through this queue to worker processes (S1-S5): `BullMqTransport` from
   * `@orka/bullmq`, with a store every process shares (`PostgresRunStore`). A worker is a Nest
   * application context of the same modules (`NestFactory.createApplicationContext`), with `role: 'worker'`.
   */
  transport?: RunTransport;
  /** With a transport: `client` starts, signals and reads runs; `worker` executes them; `both` (default). */
  role?: RunnerRole;
  /** How this process takes part in durable runs. */
  durable?: DurableModuleOptions;
}

/** Options of the durable runs of `OrkaModule`. */
export interface DurableModuleOptions {
  /** This process's name in leases; random by default. */
  owner?: string;
  /** How long a lease lasts without renewal, in ms (default 30000). */
  leaseMs?: number;
  /** How often due timers and abandoned runs are looked for, in ms (default 1000). */
  pollMs?: number;
}

/** Options of `OrkaModule.forRootAsync()`. */
export interface OrkaModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Providers to inject into `useFactory`. */
  inject?: Array<Type<unknown> | string | symbol>;
  /** Builds the options. */
  useFactory: (...args: never[]) => OrkaModuleOptions | Promise<OrkaModuleOptions>;
}
