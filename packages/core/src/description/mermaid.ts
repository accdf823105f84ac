import type { PipelineDescription } from './describe.js';

/**
 * Draws a described pipeline as a Mermaid flowchart (R5): steps in their dependency order, a
 * conditional step as a decision with an edge per branch, sub-pipelines as subroutine nodes, a wait
 * for a signal as a hexagon and a sleep as a parallelogram.
 */
export function toMermaid(description: PipelineDescription): string {
  const lines = ['flowchart TD'];
  const id = (i: number) => `s${i}`;
  const positions = new Map(description.steps.map((s, i) => [s.name, i]));
  const text = (s: string) => s.replace(/"/g, '#quot;');
  lines.push(`  start(("${text(description.name)}"))`);
  description.steps.forEach((s, i) => {
    const notes = [
      s.optional ? 'optional' : '',
      s.skipIf ? `skip if: ${s.skipIf}` : '',
      s.retry ? `retry x${s.retry.attempts}` : '',
      s.timeoutMs !== undefined ? `timeout ${s.timeoutMs} ms` : '',
      s.continueOnError ? 'continues on error' : '',
      s.compensated ? 'compensated' : '',
    ].filter(Boolean);
    const wait = s.wait;
    if (wait !== undefined)
      notes.unshift(
        'sleep' in wait
          ? 'sleeps'
          : `waits for ${wait.signal}${wait.timeoutMs !== undefined ? `, ${wait.timeoutMs} ms at most` : ''}`,
      );
    const label = text(notes.length ? `${s.name}<br/><small>${notes.join(', ')}</small>` : s.name);
    // Waits are hexagons, sleeps parallelograms: the run suspends there (W1, W3).
    const shape = s.conditional
      ? `{"${label}"}`
      : wait === undefined
        ? `["${label}"]`
        : 'sleep' in wait
          ? `[/"${label}"/]`
          : `{{"${label}"}}`;
    lines.push(`  ${id(i)}${shape}`);
  });
  description.steps.forEach((s, i) => {
    if (s.after.length === 0) lines.push(`  start --> ${id(i)}`);
    for (const dep of s.after) lines.push(`  ${id(positions.get(dep)!)} --> ${id(i)}`);
    s.branches.forEach((b) => {
      const node = `${id(i)}_b${b.branch === 'otherwise' ? 'x' : b.branch}`;
      const edge = b.branch === 'otherwise' ? 'otherwise' : `when ${b.branch}`;
      const kind =
        b.kind === 'handler' ? 'handler' : b.kind === 'factory' ? 'factory: chosen per run' : b.pipeline!;
      const what = b.label === undefined ? kind : b.kind === 'handler' ? b.label : `${kind} (${b.label})`;
      lines.push(b.kind === 'handler' ? `  ${node}("${text(what)}")` : `  ${node}[["${text(what)}"]]`);
      lines.push(`  ${id(i)} -->|${edge}| ${node}`);
    });
    if (s.onNoMatch && s.onNoMatch !== 'continue')
      lines.push(`  ${id(i)} -.->|no match| ${id(i)}_none(("${s.onNoMatch}"))`);
  });
  const last = description.steps.length - 1;
  const hasDependents = new Set(description.steps.flatMap((s) => s.after));
  description.steps.forEach((s, i) => {
    if (!hasDependents.has(s.name)) lines.push(`  ${id(i)} --> done(("end"))`);
  });
  if (last < 0) lines.push('  start --> done(("end"))');
  return lines.join('\n');
}
