// Reads .cpuprofile files (from `node --cpu-prof`): self time per function.
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface TopEntry {
  function: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

/** Self time per function (summed over every node of the same function and location). */
export function topSelfTime(profile: CpuProfile, filter: (url: string) => boolean, top: number): TopEntry[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const grouped = new Map<string, TopEntry>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (!filter(url)) continue;
    const location = url ? `${shorten(url)}:${lineNumber + 1}` : '(native)';
    const name = functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const entry = grouped.get(key) ?? { function: name, location, selfMs: 0, selfPercent: 0 };
    entry.selfMs += us / 1000;
    grouped.set(key, entry);
  }
  const list = [...grouped.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const e of list) e.selfPercent = (e.selfMs * 100_000) / total;
  return list;
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  for (const marker of ['/packages/', '/node_modules/.pnpm/', '/bench/']) {
    const i = path.lastIndexOf(marker);
    if (i !== -1) return path.slice(i + 1).replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
  }
  return path;
}

export const isOrka = (url: string): boolean => /\/packages\/(core|nestjs)\//.test(url);

/** A markdown table of entries. */
export function markdownTop(entries: TopEntry[]): string {
  const rows = entries.map(
    (e) => `| ${e.selfMs.toFixed(1)} | ${e.selfPercent.toFixed(1)} | \`${e.function}\` | ${e.location} |`,
  );
  return ['| self ms | self % | function | location |', '|---:|---:|---|---|', ...rows].join('\n');
}
