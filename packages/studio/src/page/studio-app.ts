import type { Description, PageKit, StepRecordView } from './studio-types.js';
import type { studioEl as El } from './studio-elements.js';
import type { studioDiagram as Diagram } from './studio-diagram.js';
import type { studioRunPage as RunPage } from './studio-run-page.js';
import type { studioRunsPage as RunsPage } from './studio-runs-page.js';

// Defined beside this function in the script the server sends (STUDIO_JS): the page's one scope.
declare const studioEl: typeof El;
declare const studioDiagram: typeof Diagram;
declare const studioRunsPage: typeof RunsPage;
declare const studioRunPage: typeof RunPage;

/**
 * The Studio's page script. It runs in the browser: the server sends this function's compiled source
 * (`STUDIO_JS`), so it imports nothing and uses only the DOM. Every piece of run data reaches the page
 * through `textContent` or SVG text nodes, never as HTML (V5: a context cannot inject markup).
 */
export function studioApp(): void {
  const base = document.querySelector<HTMLMetaElement>('meta[name="orka-studio-base"]')!.content;
  const main = document.getElementById('main')!;
  const live = document.getElementById('live')!;
  const pipelines = new Map<string, Description>();
  let refresh: (() => void) | undefined;
  let timer: number | undefined;

  async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${base}/api${path}`, {
      ...init,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-orka-studio': '1' },
    });
    const text = await res.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const message = (body as { message?: unknown } | undefined)?.message;
      throw new Error(
        Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : res.statusText,
      );
    }
    return body as T;
  }

  const status = (s: string) => studioEl('span', { class: `status ${s}` }, s);
  const when = (ms: number) => new Date(ms).toLocaleString();
  const errorText = (e: StepRecordView['error']) =>
    e === undefined ? '' : typeof e === 'string' ? e : `${e.name ?? 'Error'}: ${e.message ?? ''}`;

  async function loadPipelines(): Promise<void> {
    if (pipelines.size > 0) return;
    for (const p of await api<{ name: string; description: Description }[]>('/pipelines'))
      pipelines.set(p.name, p.description);
  }

  async function pipelinesPage(): Promise<void> {
    await loadPipelines();
    if (location.hash !== '#/pipelines') return;
    main.replaceChildren(studioEl('h1', {}, 'Pipelines'));
    for (const d of pipelines.values())
      main.append(
        studioEl(
          'div',
          { class: 'card', 'data-pipeline': d.name },
          studioEl('h2', {}, d.name),
          studioDiagram(d),
        ),
      );
    refresh = undefined;
  }

  let again: number | undefined;
  const memo: { lastShown?: string } = {};
  function later(runId: string, ms: number): void {
    window.clearTimeout(again);
    again = window.setTimeout(() => {
      if (location.hash === `#/runs/${encodeURIComponent(runId)}`) refresh?.();
    }, ms);
  }

  const kit: PageKit = {
    main,
    api,
    pipelines,
    loadPipelines,
    status,
    when,
    errorText,
    onRefresh: (fn) => void (refresh = fn),
    later,
    show,
  };

  function show(err: unknown): void {
    main.replaceChildren(
      studioEl(
        'div',
        { class: 'card error', role: 'alert' },
        err instanceof Error ? err.message : String(err),
      ),
    );
  }

  function route(): void {
    const hash = location.hash.slice(1) || '/';
    const run = /^\/runs\/(.+)$/.exec(hash);
    const page = run
      ? studioRunPage(kit, decodeURIComponent(run[1]!), memo)
      : hash === '/pipelines'
        ? pipelinesPage()
        : studioRunsPage(kit);
    page.catch(show);
  }

  const events = new EventSource(`${base}/api/events`, { withCredentials: true });
  events.onopen = () => {
    live.textContent = 'live';
    live.className = 'live on';
  };
  events.onerror = () => {
    live.textContent = 'reconnecting';
    live.className = 'live';
  };
  // Every event refreshes the page on view, at most every 150 ms (V3).
  events.onmessage = () => {
    if (refresh === undefined || timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      refresh?.();
    }, 150);
  };
  window.addEventListener('hashchange', route);
  route();
}
