import type { INestApplicationContext } from '@nestjs/common';
import { TraceCollector } from '@orka/core';
import { PipelineRunner } from '../runtime/pipeline-runner.js';

/**
 * A trace collector subscribed to every run of the application (sub-runs included) until
 * `collector.stop()` (N7): assert the steps and branches that ran.
 *
 * ```ts
 * const trace = collectTrace(app);
 * await request(app.getHttpServer()).post('/users').send(body);
 * expect(trace.stepsCompleted()).toContain('create_user_account');
 * ```
 * @publicApi
 */
export function collectTrace(app: INestApplicationContext): TraceCollector {
  const runner = app.get(PipelineRunner);
  return TraceCollector.attach((observer) => runner.observe(observer));
}
