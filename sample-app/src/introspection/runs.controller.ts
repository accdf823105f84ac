import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseIntPipe,
  Query,
  DefaultValuePipe,
} from '@nestjs/common';
import { PipelineRunner, type StoredRunStatus } from '@orka/nestjs';

const statuses = new Set<StoredRunStatus>([
  'running',
  'waiting',
  'completed',
  'stopped',
  'cancelled',
  'failed',
]);

/** The durable runs as the run store has them. */
@Controller('runs')
export class RunsController {
  constructor(private readonly runner: PipelineRunner) {}

  /** A page of runs, newest first: `?pipeline=checkout&status=running&limit=20&cursor=...`. */
  @Get()
  list(
    @Query('pipeline') pipeline?: string,
    @Query('status') status?: string,
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit = 20,
    @Query('cursor') cursor?: string,
  ) {
    if (status !== undefined && !statuses.has(status as StoredRunStatus))
      throw new NotFoundException(`No status ${status}; one of ${[...statuses].join(', ')}.`);
    return this.runner.list({
      ...(pipeline !== undefined && { pipeline }),
      ...(status !== undefined && { status: status as StoredRunStatus }),
      limit: Math.min(Math.max(limit, 1), 100),
      ...(cursor !== undefined && { cursor }),
    });
  }

  /** One run: its status, context, step records, what it waits for. */
  @Get(':runId')
  async get(@Param('runId') runId: string) {
    const snapshot = await this.runner.get(runId);
    if (!snapshot) throw new NotFoundException(`No durable run ${runId}.`);
    return snapshot;
  }
}
