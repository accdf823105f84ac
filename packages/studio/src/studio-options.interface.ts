import type { CanActivate, Type } from '@nestjs/common';

/** Options of `OrkaStudioModule.forRoot()`. */
export interface OrkaStudioOptions {
  /** Where the page is served; its JSON API is under `<path>/api` (default `/orka`). */
  path?: string;
  /**
   * A Nest guard class every route of the Studio (page, API, assets, events) goes through (V5). Required,
   * unless `allowUnauthenticated` is set.
   */
  guard?: Type<CanActivate>;
  /** Serve the Studio without a guard, for local development only; a warning is logged at bootstrap. */
  allowUnauthenticated?: boolean;
  /**
   * What of a run's context the Studio may show (V2): return a copy with secrets removed or masked.
   * By default the context is shown as the store has it.
   */
  redact?: (context: unknown, run: { runId: string; pipeline: string }) => unknown;
  /** How many in-memory (not durable) runs the Studio keeps to show (V6; default 200). */
  recentRuns?: number;
}
