/** The Studio's styles. */
export const STUDIO_CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #d0d5dd; --bg: #f7f8fa; --accent: #1565c0;
  --completed: #2e7d32; --failed: #c62828; --skipped: #98a2b3; --compensated: #ef6c00; --stopped: #6a1b9a;
  --running: #1565c0; --waiting: #0277bd; --cancelled: #475467; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 16px; flex: 1; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.brand { font-weight: 700; color: var(--fg); }
.live { font-size: 12px; color: var(--muted); }
.live.on { color: var(--completed); }
main { padding: 20px; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 12px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; background: var(--muted); }
.status.completed { background: var(--completed); } .status.failed { background: var(--failed); }
.status.skipped { background: var(--skipped); } .status.compensated { background: var(--compensated); }
.status.stopped { background: var(--stopped); } .status.running { background: var(--running); }
.status.waiting { background: var(--waiting); } .status.cancelled { background: var(--cancelled); }
.filters { display: flex; gap: 12px; margin-bottom: 12px; align-items: center; }
select, input, textarea, button { font: inherit; }
select, input, textarea { padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea { width: 100%; min-height: 80px; font-family: ui-monospace, monospace; }
button { padding: 5px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--failed); border-color: var(--failed); }
pre { background: #0f172a; color: #e2e8f0; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
.error { color: var(--failed); margin-top: 6px; }
.muted { color: var(--muted); }
.meta { display: flex; gap: 24px; flex-wrap: wrap; margin-bottom: 12px; }
svg text { font: 12px system-ui, sans-serif; }
svg .node { fill: #fff; stroke: #98a2b3; stroke-width: 1.5; }
svg .node.current { stroke-width: 4; }
svg .node.st-completed { stroke: var(--completed); } svg .node.st-failed { stroke: var(--failed); }
svg .node.st-skipped { stroke: var(--skipped); stroke-dasharray: 4 3; } svg .node.st-compensated { stroke: var(--compensated); }
svg .node.st-stopped { stroke: var(--stopped); } svg .node.st-running { stroke: var(--running); }
svg .node.st-waiting { stroke: var(--waiting); } svg .node.st-cancelled { stroke: var(--cancelled); }
svg .edge { stroke: #98a2b3; stroke-width: 1.5; fill: none; }
svg .edge.taken { stroke: var(--accent); stroke-width: 2.5; }
svg .note { fill: var(--muted); font-size: 11px; }
`;
