import type { Listed, PageKit, StepRecordView } from './studio-types.js';
import type { studioEl as El } from './studio-elements.js';
import type { studioDiagram as Diagram } from './studio-diagram.js';

// Defined beside this function in the script the server sends.
declare const studioEl: typeof El;
declare const studioDiagram: typeof Diagram;

/** One run (V2, V4): its diagram with the path taken, its timeline, its context, its actions. */
export async function studioRunPage(
  kit: PageKit,
  runId: string,
  memo: { lastShown?: string },
): Promise<void> {
  await kit.loadPipelines();
  const run = await kit.api<{
    runId: string;
    pipeline: string;
    status: string;
    durable: boolean;
    steps: StepRecordView[];
    step?: string;
    waiting?: { step: string; signal?: string; until?: number; timeoutAt?: number };
    error?: { name: string; message: string; step: string };
    context?: unknown;
    compensations?: { step: string; status: string; error?: string }[];
    subRuns: Listed[];
    createdAt?: number;
    startedAt?: number;
  }>(`/runs/${encodeURIComponent(runId)}`);
  // The page was left while the run loaded (a refresh in flight, then a click elsewhere): draw nothing.
  if (location.hash !== `#/runs/${encodeURIComponent(runId)}`) return;
  // Drawn again only when the run has moved: a form being filled in is not wiped by a refresh.
  const shown = JSON.stringify([run.runId, run.status, run.steps, run.waiting, run.error, run.compensations]);
  if (shown === memo.lastShown && kit.main.querySelector('#run-status')) {
    if (!['running', 'waiting'].includes(run.status)) return;
    return kit.later(runId, run.status === 'running' ? 1_000 : 3_000);
  }
  memo.lastShown = shown;
  const d = kit.pipelines.get(run.pipeline);
  const ended = !['running', 'waiting'].includes(run.status);
  const current = run.waiting?.step ?? (ended ? undefined : run.step);
  const timeline = studioEl('tbody', { id: 'timeline' });
  for (const r of run.steps) {
    timeline.append(
      studioEl(
        'tr',
        { 'data-step': r.step },
        studioEl('td', {}, r.step),
        studioEl('td', {}, kit.status(r.status)),
        studioEl('td', {}, r.attempts === undefined ? '' : String(r.attempts)),
        studioEl('td', {}, r.durationMs === undefined ? '' : `${Math.round(r.durationMs)} ms`),
        studioEl('td', {}, r.branch === undefined ? '' : String(r.branch)),
        studioEl('td', { class: 'error' }, kit.errorText(r.error) || r.reason || ''),
      ),
    );
  }
  for (const c of run.compensations ?? [])
    timeline.append(
      studioEl(
        'tr',
        {},
        studioEl('td', {}, `undo ${c.step}`),
        studioEl('td', {}, kit.status(c.status)),
        studioEl('td', {}),
        studioEl('td', {}),
        studioEl('td', {}),
        studioEl('td', { class: 'error' }, c.error ?? ''),
      ),
    );
  const actions = studioEl('div', { class: 'card', id: 'actions' });
  if (run.waiting?.signal !== undefined) {
    const name = studioEl('input', { id: 'signal-name', value: run.waiting.signal });
    const payload = studioEl('textarea', { id: 'signal-payload' });
    payload.value = '{}';
    const problem = studioEl('div', { class: 'error', role: 'alert', id: 'signal-error' });
    const send = studioEl('button', { id: 'send-signal' }, 'Send signal');
    send.onclick = async () => {
      problem.textContent = '';
      try {
        await kit.api(`/runs/${encodeURIComponent(runId)}/signal`, {
          method: 'POST',
          body: JSON.stringify({
            signal: name.value,
            payload: JSON.parse(payload.value || 'null') as unknown,
          }),
        });
      } catch (err) {
        problem.textContent = err instanceof Error ? err.message : String(err);
      }
    };
    actions.append(studioEl('h2', {}, 'Signal'), studioEl('p', {}, 'signal ', name), payload, send, problem);
  }
  if (!ended) {
    const cancel = studioEl('button', { class: 'danger', id: 'cancel-run' }, 'Cancel run');
    const problem = studioEl('div', { class: 'error', role: 'alert' });
    cancel.onclick = async () => {
      try {
        await kit.api(`/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST', body: '{}' });
      } catch (err) {
        problem.textContent = err instanceof Error ? err.message : String(err);
      }
    };
    actions.append(cancel, problem);
  }
  const waitLine = run.waiting
    ? `waits at ${run.waiting.step} for ${run.waiting.signal !== undefined ? `signal ${run.waiting.signal}` : 'its time'}` +
      ((run.waiting.until ?? run.waiting.timeoutAt)
        ? ` until ${kit.when((run.waiting.until ?? run.waiting.timeoutAt)!)}`
        : '')
    : undefined;
  kit.main.replaceChildren(
    studioEl('h1', {}, `${run.pipeline} `, studioEl('span', { id: 'run-status' }, kit.status(run.status))),
    studioEl(
      'div',
      { class: 'meta' },
      studioEl('span', {}, `run ${run.runId}`),
      studioEl('span', { class: 'muted' }, run.durable ? 'durable' : 'in memory'),
      waitLine ? studioEl('span', { id: 'waiting' }, waitLine) : undefined,
    ),
    run.error
      ? studioEl(
          'div',
          { class: 'card error', id: 'run-error' },
          `${run.error.name} in ${run.error.step}: ${run.error.message}`,
        )
      : '',
    d
      ? studioEl(
          'div',
          { class: 'card', id: 'run-diagram' },
          studioDiagram(
            d,
            run.steps,
            current === undefined ? undefined : { step: current, status: run.status },
          ),
        )
      : '',
    studioEl(
      'div',
      { class: 'card' },
      studioEl('h2', {}, 'Timeline'),
      studioEl(
        'table',
        {},
        studioEl(
          'thead',
          {},
          studioEl(
            'tr',
            {},
            ...['step', 'status', 'attempts', 'duration', 'branch', 'error'].map((h) =>
              studioEl('th', {}, h),
            ),
          ),
        ),
        timeline,
      ),
    ),
    actions.childElementCount > 0 ? actions : '',
    run.context !== undefined
      ? studioEl(
          'div',
          { class: 'card' },
          studioEl('h2', {}, 'Context'),
          studioEl('pre', { id: 'context' }, JSON.stringify(run.context, null, 2)),
        )
      : '',
    run.subRuns.length > 0
      ? studioEl(
          'div',
          { class: 'card' },
          studioEl('h2', {}, 'Sub-runs'),
          ...run.subRuns.map((s) =>
            studioEl(
              'div',
              {},
              studioEl(
                'a',
                { href: `#/runs/${encodeURIComponent(s.runId)}` },
                `${s.pipeline} ${s.runId.slice(0, 8)}`,
              ),
              ' ',
              kit.status(s.status),
            ),
          ),
        )
      : '',
  );
  kit.onRefresh(() => void studioRunPage(kit, runId, memo).catch((err: unknown) => kit.show(err)));
  // An event can come just before the store has the commit it announces (a run's end is committed
  // after its run.finished): a run still going is looked at again shortly, events or not.
  if (!ended) kit.later(runId, run.status === 'running' ? 1_000 : 3_000);
}
