import type { Listed, PageKit } from './studio-types.js';
import type { studioEl as El } from './studio-elements.js';

// Defined beside this function in the script the server sends.
declare const studioEl: typeof El;

/** The list of runs (V2, V3): filters, pages through the store's cursor, live. */
export async function studioRunsPage(kit: PageKit): Promise<void> {
  // A page left while it loads draws nothing and takes no refreshes (another page has them by then).
  const here = location.hash;
  await kit.loadPipelines();
  if (location.hash !== here) return;
  const pipelineSelect = studioEl(
    'select',
    { id: 'filter-pipeline' },
    studioEl('option', { value: '' }, 'all pipelines'),
  );
  for (const name of kit.pipelines.keys()) pipelineSelect.append(studioEl('option', { value: name }, name));
  const statusSelect = studioEl(
    'select',
    { id: 'filter-status' },
    studioEl('option', { value: '' }, 'any status'),
  );
  for (const s of ['running', 'waiting', 'completed', 'failed', 'cancelled', 'stopped'])
    statusSelect.append(studioEl('option', { value: s }, s));
  const body = studioEl('tbody', { id: 'runs' });
  const more = studioEl('button', { class: 'secondary', id: 'more' }, 'More');
  let cursor: string | undefined;
  const query = (c?: string) => {
    const q = new URLSearchParams();
    if (pipelineSelect.value) q.set('pipeline', pipelineSelect.value);
    if (statusSelect.value) q.set('status', statusSelect.value);
    if (c) q.set('cursor', c);
    return `/runs?${q.toString()}`;
  };
  const row = (r: Listed) =>
    studioEl(
      'tr',
      { 'data-run': r.runId },
      studioEl(
        'td',
        {},
        studioEl('a', { href: `#/runs/${encodeURIComponent(r.runId)}` }, r.runId.slice(0, 8)),
      ),
      studioEl('td', {}, r.pipeline),
      studioEl('td', {}, kit.status(r.status)),
      studioEl('td', {}, r.step ?? ''),
      studioEl('td', {}, kit.when(r.startedAt)),
      studioEl('td', {}, `${Math.max(0, r.updatedAt - r.startedAt)} ms`),
      studioEl('td', { class: 'muted' }, r.durable ? 'durable' : 'in memory'),
    );
  const load = async (append: boolean) => {
    const page = await kit.api<{ runs: Listed[]; cursor?: string }>(query(append ? cursor : undefined));
    cursor = page.cursor;
    if (!append) body.replaceChildren();
    for (const r of page.runs) body.append(row(r));
    more.hidden = cursor === undefined;
  };
  pipelineSelect.onchange = () => void load(false);
  statusSelect.onchange = () => void load(false);
  more.onclick = () => void load(true);
  const head = studioEl(
    'tr',
    {},
    ...['run', 'pipeline', 'status', 'at step', 'started', 'duration', ''].map((h) => studioEl('th', {}, h)),
  );
  kit.main.replaceChildren(
    studioEl('h1', {}, 'Runs'),
    studioEl('div', { class: 'filters' }, pipelineSelect, statusSelect),
    studioEl('div', { class: 'card' }, studioEl('table', {}, studioEl('thead', {}, head), body), more),
  );
  await load(false);
  if (location.hash === here) kit.onRefresh(() => void load(false));
}
