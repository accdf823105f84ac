import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Sse,
  UseGuards,
  UseInterceptors,
  type CanActivate,
  type MessageEvent,
  type Type,
} from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { STUDIO_CSS } from '../page/studio-css.js';
import { studioHtml } from '../page/studio-page.js';
import { STUDIO_JS } from '../page/studio-script.js';
import { SameOriginGuard } from './same-origin.guard.js';
import { SecurityHeadersInterceptor } from './security-headers.interceptor.js';
import { StudioState } from './studio-state.js';

/**
 * The Studio's routes under `path` (V1-V5): the page and its assets, the JSON API, the event stream and
 * the actions. Every route goes through the application's guard (when given) and the same-origin check
 * of actions; every response carries the Studio's security headers.
 */
export function studioController(path: string, guard: Type<CanActivate> | undefined): Type<unknown> {
  const guards: Type<CanActivate>[] = guard ? [guard, SameOriginGuard] : [SameOriginGuard];

  @Controller(path)
  @UseGuards(...guards)
  @UseInterceptors(SecurityHeadersInterceptor)
  class OrkaStudioController {
    constructor(private readonly state: StudioState) {}

    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    page(): string {
      return studioHtml(path);
    }

    @Get('assets/studio.js')
    @Header('Content-Type', 'text/javascript; charset=utf-8')
    script(): string {
      return STUDIO_JS;
    }

    @Get('assets/studio.css')
    @Header('Content-Type', 'text/css; charset=utf-8')
    styles(): string {
      return STUDIO_CSS;
    }

    @Get('api/pipelines')
    pipelines() {
      return this.state.api.pipelines();
    }

    @Get('api/runs')
    runs(@Query() query: { pipeline?: string; status?: string; cursor?: string; limit?: string }) {
      return this.state.api.runs(query);
    }

    @Get('api/runs/:runId')
    run(@Param('runId') runId: string) {
      return this.state.api.run(runId);
    }

    /** Every run's events as they happen (V3); the page refreshes what it shows on each. */
    @Sse('api/events')
    events(): Observable<MessageEvent> {
      return this.state.events.pipe(
        map((event) => ({
          type: 'message',
          data: {
            type: event.type,
            runId: event.runId,
            pipeline: event.pipeline,
            ...(event.step !== undefined && { step: event.step }),
          },
        })),
      );
    }

    @Post('api/runs/:runId/signal')
    @HttpCode(202)
    async signal(@Param('runId') runId: string, @Body() body: { signal?: unknown; payload?: unknown }) {
      await this.state.api.signal(runId, typeof body?.signal === 'string' ? body.signal : '', body?.payload);
      return { runId, signalled: body?.signal };
    }

    @Post('api/runs/:runId/cancel')
    @HttpCode(202)
    async cancel(@Param('runId') runId: string) {
      await this.state.api.cancel(runId);
      return { runId, cancelled: true };
    }
  }
  return OrkaStudioController;
}
