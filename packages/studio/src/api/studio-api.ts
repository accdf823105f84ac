import { NotFoundException } from '@nestjs/common';
import type { PipelineRunner, RunSnapshot, StoredRunStatus } from '@orka/nestjs';
import { NOT_FOUND } from '../studio.messages.js';
import type { OrkaStudioOptions } from '../studio-options.interface.js';
import type { RecentRun, RecentRuns } from './recent-runs.js';

/** A run in the Studio's list: from the store (durable) or from the recent in-memory runs. */
export interface ListedRun {
  runId: string;
  pipeline: string;
  status: string;
  durable: boolean;
  startedAt: number;
  updatedAt: number;
  /** The step it is at, or waits at. */
  step?: string;
  parentRunId?: string;
}

const statuses = new Set(['running', 'waiting', 'completed', 'stopped', 'cancelled', 'failed']);

/**
 * What the Studio's JSON API answers (V1, V2, V4, V6), over the application's `PipelineRunner`: the
 * pipelines as `describe()` gives them, the runs of the store (paged with its cursor) and the recent
 * in-memory ones, one run with its records and its context (through `redact`), and the actions.
 */
export class StudioApi {
  constructor(
    private readonly runner: PipelineRunner,
    private readonly recent: RecentRuns,
    private readonly options: OrkaStudioOptions,
  ) {}

  pipelines() {
    return this.runner.pipelines().map((name) => ({ name, description: this.runner.describe(name) }));
  }

  async runs(query: { pipeline?: string; status?: string; cursor?: string; limit?: string }) {
    const status = query.status !== undefined && statuses.has(query.status) ? query.status : undefined;
    const limit = Math.min(Math.max(Number(query.limit ?? 50) || 50, 1), 200);
    const filter = {
      ...(query.pipeline ? { pipeline: query.pipeline } : {}),
      ...(status !== undefined && { status: status as StoredRunStatus }),
    };
    const page = await this.runner.list({
      ...filter,
      limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const durable: ListedRun[] = page.runs.map((r) => ({
      runId: r.runId,
      pipeline: r.pipeline,
      status: r.status,
      durable: true,
      startedAt: r.createdAt,
      updatedAt: r.updatedAt,
      ...(r.waiting !== undefined && { step: r.waiting.step }),
      ...(r.parentRunId !== undefined && { parentRunId: r.parentRunId }),
    }));
    // The recent in-memory runs come with the first page only: the store's cursor pages the rest.
    const inMemory = query.cursor
      ? []
      : this.recent.list(filter).filter((r) => !page.runs.some((d) => d.runId === r.runId));
    return {
      runs: [...inMemory.map(listed), ...durable],
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    };
  }

  async run(runId: string) {
    const snapshot = await this.runner.get(runId);
    if (snapshot !== undefined) return this.durableRun(snapshot);
    const recent = this.recent.get(runId);
    if (recent === undefined) throw new NotFoundException(NOT_FOUND(runId));
    return { ...recent, durable: false, context: undefined, subRuns: this.subRunsOf(runId) };
  }

  signal(runId: string, name: string, payload: unknown) {
    return this.runner.signal(runId, name, payload);
  }

  cancel(runId: string) {
    return this.runner.cancel(runId, 'cancelled from Orka Studio');
  }

  private durableRun(snapshot: RunSnapshot) {
    const { context, ...rest } = snapshot;
    const redact = this.options.redact;
    return {
      ...rest,
      durable: true,
      context: redact ? redact(context, { runId: snapshot.runId, pipeline: snapshot.pipeline }) : context,
      subRuns: this.subRunsOf(snapshot.runId),
    };
  }

  private subRunsOf(runId: string): ListedRun[] {
    return this.recent
      .list({})
      .filter((r) => r.parentRunId === runId)
      .map(listed);
  }
}

function listed(r: RecentRun): ListedRun {
  return {
    runId: r.runId,
    pipeline: r.pipeline,
    status: r.status,
    durable: false,
    startedAt: r.startedAt,
    updatedAt: r.updatedAt,
    ...(r.step !== undefined && { step: r.step }),
    ...(r.parentRunId !== undefined && { parentRunId: r.parentRunId }),
  };
}
