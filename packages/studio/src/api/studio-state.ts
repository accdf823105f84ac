import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PipelineRunner, type OrkaEvent } from '@orka/nestjs';
import { Subject } from 'rxjs';
import type { OrkaStudioOptions } from '../studio-options.interface.js';
import { RecentRuns } from './recent-runs.js';
import { StudioApi } from './studio-api.js';

/** The token of the Studio's options. */
export const STUDIO_OPTIONS = Symbol.for('orka:studio-options');

/**
 * What the Studio keeps while the application runs: the stream of every run's events (for the page's
 * live updates, V3) and the recent in-memory runs built from it (V6), from `runner.observe`.
 */
@Injectable()
export class StudioState implements OnModuleInit, OnModuleDestroy {
  readonly events = new Subject<OrkaEvent>();
  readonly api: StudioApi;
  private readonly recent: RecentRuns;
  private stop: (() => void) | undefined;

  constructor(
    private readonly runner: PipelineRunner,
    @Inject(STUDIO_OPTIONS) options: OrkaStudioOptions,
  ) {
    this.recent = new RecentRuns(options.recentRuns ?? 200);
    this.api = new StudioApi(runner, this.recent, options);
  }

  onModuleInit(): void {
    this.stop = this.runner.observe((event) => {
      this.recent.observe(event);
      this.events.next(event);
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
    this.events.complete();
  }
}
