// Reads .cpuprofile files (from `node --cpu-prof`): self and inclusive time per function, self time
// per package. Idle time is left out, and percentages are of the time the process was busy.
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
  ms: number;
  percent: number;
}

interface Indexed {
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
  /** Sampled microseconds per node id (idle excluded). */
  self: Map<number, number>;
  busyUs: number;
}

function index(profile: CpuProfile): Indexed {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const us = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + us);
    busyUs += us;
  }
  return { byId, parent, self, busyUs };
}

/** Milliseconds the process was busy (idle samples left out). */
export function busyMs(profile: CpuProfile): number {
  return index(profile).busyUs / 1000;
}

function keyOf(node: ProfileNode): { name: string; location: string } {
  const { functionName, url, lineNumber } = node.callFrame;
  return {
    name: functionName || '(anonymous)',
    location: url ? `${shorten(url)}:${lineNumber + 1}` : '(native)',
  };
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const pnpm = /\/node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(path);
  if (pnpm) return pnpm[1]!;
  for (const marker of ['/packages/', '/bench/']) {
    const i = path.lastIndexOf(marker);
    if (i !== -1) return path.slice(i + 1);
  }
  return path;
}

/** The package a frame belongs to: an npm package, @orka/core, @orka/nestjs, bench, node, or a VM state. */
export function packageOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const pnpm = /\/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pnpm) return pnpm[1]!;
  if (/\/packages\/core\//.test(path)) return '@orka/core';
  if (/\/packages\/nestjs\//.test(path)) return '@orka/nestjs';
  if (/\/bench\//.test(path)) return 'bench';
  return path;
}

function rank(grouped: Map<string, TopEntry>, busyUs: number, top: number): TopEntry[] {
  const list = [...grouped.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  for (const e of list) e.percent = (e.ms * 100_000) / busyUs;
  return list;
}

/** Self time per function (summed over every node of the same function and location). */
export function topSelfTime(profile: CpuProfile, filter: (url: string) => boolean, top: number): TopEntry[] {
  const ix = index(profile);
  const grouped = new Map<string, TopEntry>();
  for (const [id, us] of ix.self) {
    const node = ix.byId.get(id)!;
    if (!filter(node.callFrame.url)) continue;
    const { name, location } = keyOf(node);
    const key = `${name}@${location}`;
    const entry = grouped.get(key) ?? { function: name, location, ms: 0, percent: 0 };
    entry.ms += us / 1000;
    grouped.set(key, entry);
  }
  return rank(grouped, ix.busyUs, top);
}

/** Inclusive time per function: every sample with the function anywhere on its stack (counted once). */
export function topInclusiveTime(
  profile: CpuProfile,
  filter: (url: string) => boolean,
  top: number,
): TopEntry[] {
  const ix = index(profile);
  const grouped = new Map<string, TopEntry>();
  for (const [id, us] of ix.self) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = ix.parent.get(n)) {
      const node = ix.byId.get(n)!;
      if (!filter(node.callFrame.url)) continue;
      const { name, location } = keyOf(node);
      const key = `${name}@${location}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = grouped.get(key) ?? { function: name, location, ms: 0, percent: 0 };
      entry.ms += us / 1000;
      grouped.set(key, entry);
    }
  }
  return rank(grouped, ix.busyUs, top);
}

/** Self time per package, in milliseconds (idle left out). */
export function selfTimeByPackage(profile: CpuProfile): Map<string, number> {
  const ix = index(profile);
  const out = new Map<string, number>();
  for (const [id, us] of ix.self) {
    const p = packageOf(ix.byId.get(id)!);
    out.set(p, (out.get(p) ?? 0) + us / 1000);
  }
  return out;
}

export const isOrka = (url: string): boolean => /\/packages\/(core|nestjs)\//.test(url);

/** A markdown table of entries. */
export function markdownTop(entries: TopEntry[], what = 'self'): string {
  const rows = entries.map(
    (e) => `| ${e.ms.toFixed(1)} | ${e.percent.toFixed(1)} | \`${e.function}\` | ${e.location} |`,
  );
  return [`| ${what} ms | % of busy | function | location |`, '|---:|---:|---|---|', ...rows].join('\n');
}
