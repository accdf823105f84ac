import type { Description, StepRecordView } from './studio-types.js';
import type { studioSvg as Svg } from './studio-elements.js';

// Defined beside this function in the script the server sends.
declare const studioSvg: typeof Svg;

/** A pipeline drawn from describe(): steps by their dependencies, with a run's records when given. */
export function studioDiagram(
  d: Description,
  records: StepRecordView[] = [],
  current?: { step: string; status: string },
): SVGElement {
  const level = new Map<string, number>();
  for (const s of d.steps)
    level.set(s.name, s.after.length === 0 ? 0 : Math.max(...s.after.map((a) => (level.get(a) ?? 0) + 1)));
  const columns = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  const W = 260;
  const H = 48;
  for (const s of d.steps) {
    const row = level.get(s.name)!;
    const col = columns.get(row) ?? 0;
    columns.set(row, col + 1);
    pos.set(s.name, { x: 20 + col * (W + 160), y: 20 + row * (H + 40) });
  }
  const width = 20 + Math.max(1, ...columns.values()) * (W + 160);
  const height = 20 + (Math.max(0, ...level.values()) + 1) * (H + 40);
  const root = studioSvg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `pipeline ${d.name}`,
  });
  const recordOf = new Map(records.map((r) => [r.step, r]));
  for (const s of d.steps) {
    const to = pos.get(s.name)!;
    for (const a of s.after) {
      const from = pos.get(a);
      if (!from) continue;
      const taken = recordOf.has(a) && recordOf.has(s.name);
      root.append(
        studioSvg('path', {
          class: `edge${taken ? ' taken' : ''}`,
          d: `M${from.x + W / 2},${from.y + H} L${to.x + W / 2},${to.y}`,
        }),
      );
    }
  }
  for (const s of d.steps) {
    const { x, y } = pos.get(s.name)!;
    const record = recordOf.get(s.name);
    // The step the run is at shows the run's state (running, waiting); the others their record's.
    const state =
      s.name === current?.step && (!record || record.status === 'running') ? current.status : record?.status;
    const shape =
      s.wait && 'signal' in s.wait
        ? studioSvg('polygon', {
            points: `${x + 14},${y} ${x + W - 14},${y} ${x + W},${y + H / 2} ${x + W - 14},${y + H} ${x + 14},${y + H} ${x},${y + H / 2}`,
          })
        : s.wait
          ? studioSvg('polygon', {
              points: `${x + 16},${y} ${x + W},${y} ${x + W - 16},${y + H} ${x},${y + H}`,
            })
          : s.conditional
            ? studioSvg('polygon', {
                points: `${x + W / 2},${y - 6} ${x + W},${y + H / 2} ${x + W / 2},${y + H + 6} ${x},${y + H / 2}`,
              })
            : studioSvg('rect', { x, y, width: W, height: H, rx: 6 });
    // Colours by class: the CSP allows no inline style.
    shape.setAttribute(
      'class',
      `node${s.name === current?.step ? ' current' : ''}${state ? ` st-${state}` : ''}`,
    );
    shape.setAttribute('data-step', s.name);
    if (state) shape.setAttribute('data-status', state);
    root.append(shape);
    root.append(studioSvg('text', { x: x + W / 2, y: y + 20, 'text-anchor': 'middle' }, s.name));
    const notes = [
      s.wait ? ('signal' in s.wait ? `waits for ${s.wait.signal}` : 'sleeps') : '',
      s.skipIf ? `skip if ${s.skipIf}` : '',
      s.retry ? `retry x${s.retry.attempts}` : '',
      s.compensated ? 'compensated' : '',
      state ?? '',
    ].filter(Boolean);
    root.append(
      studioSvg(
        'text',
        { class: 'note', x: x + W / 2, y: y + 36, 'text-anchor': 'middle' },
        ellipsis(notes.join(' · '), 44),
      ),
    );
    s.branches.forEach((b, i) => {
      const taken = record?.branch === b.branch;
      const label =
        b.label !== undefined && b.pipeline !== undefined
          ? `${b.label} → ${b.pipeline}`
          : (b.label ?? b.pipeline ?? b.kind);
      const bx = x + W + 24;
      const by = y + i * 18;
      root.append(
        studioSvg('path', {
          class: `edge${taken ? ' taken' : ''}`,
          d: `M${x + W},${y + H / 2} L${bx},${by + 8}`,
        }),
      );
      root.append(
        studioSvg(
          'text',
          { x: bx + 4, y: by + 12, class: taken ? '' : 'note' },
          `${b.branch === 'otherwise' ? 'otherwise' : `when ${b.branch}`}: ${label}`,
        ),
      );
    });
  }
  return root;
}

/** `text`, cut to `max` characters with an ellipsis: a step's notes fit its box. */
export function ellipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
