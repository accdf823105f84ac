import type { OrkaEvent } from '@orka/core';

/**
 * The top run of each run executing here: a worker publishes a sub-run's events on its top run's job,
 * the one its client follows. Learnt from `run.started` events, which carry the parent's id.
 */
export class RunRoots {
  private readonly parents = new Map<string, string>();

  rootOf(event: OrkaEvent): string {
    if (event.type === 'run.started' && event.parentRunId !== undefined)
      this.parents.set(event.runId, event.parentRunId);
    let id = event.runId;
    for (let parent = this.parents.get(id); parent !== undefined; parent = this.parents.get(id)) id = parent;
    if (event.type === 'run.finished') this.parents.delete(event.runId);
    return id;
  }
}

/**
 * An event as JSON can carry it to a client: errors become their name, code and message (a stack and
 * a class do not cross processes), and the top run's id is added for the client to route it by.
 */
export function publishable(event: OrkaEvent, rootRunId: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event, rootRunId };
  const error = (event as { error?: unknown }).error;
  if (error !== undefined) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown };
    copy.error =
      typeof error === 'object' && error !== null
        ? { name: e.name, ...(typeof e.code === 'string' && { code: e.code }), message: e.message }
        : { name: typeof error, message: String(error as string | number | boolean) };
  }
  return copy;
}
