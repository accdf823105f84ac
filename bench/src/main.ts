// `npm run bench` (through run.mjs): runs every suite in its own Node process, prints the tables
// (markdown) and the targets, and writes everything to results/latest.json.
//
//   --quick                 fewer rounds and shorter samples (about a minute and a half)
//   --only kernel,scale,http,bootstrap,newcomer,durable,scale-out
//   --node <path>           run the suites on another Node binary (e.g. .cache/node24/.../bin/node)
//   --against <file>        the kernel and HTTP ratios beside those of an earlier results file
//   --profile               no benchmarks: CPU profiles (node --cpu-prof) of the kernel, the HTTP
//                           servers and the bootstrap, with their top self-time functions
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import {
  busyMs,
  isOrka,
  markdownTop,
  selfTimeByPackage,
  topInclusiveTime,
  topSelfTime,
  type CpuProfile,
} from './lib/cpuprofile.js';
import { machineInfo, versions } from './lib/machine.js';
import { median, summarize, type Summary } from './lib/stats.js';

/**
 * `--against <results file>`: the kernel and HTTP ratios of this run beside those of an earlier one (a
 * `bench/results/*.json` written by this tool), so that a change can be checked not to move the
 * non-durable path (or to move it where it should).
 */
function beforeAfter(file: string): string {
  const before = JSON.parse(readFileSync(file, 'utf8')) as {
    kernel?: KernelResult;
    http?: HttpResult;
  };
  const rows: string[][] = [];
  const now = {
    kernel: output.kernel as KernelResult | undefined,
    http: output.http as HttpResult | undefined,
  };
  for (const m of now.kernel?.modes ?? []) {
    const b = before.kernel?.modes.find((x) => x.execution === m.execution && x.observer === m.observer);
    rows.push([
      `kernel, ${m.execution}, ${m.observer}`,
      b ? `${range(b.ratio)}x` : 'n/a',
      `${range(m.ratio)}x`,
    ]);
  }
  for (const v of now.http?.variants ?? []) {
    const b = before.http?.variants.find((x) => x.variant === v.variant);
    const show = (r: Summary | undefined) => (r ? range(r, 3) : 'n/a');
    rows.push([
      `HTTP ${v.variant} (req/s over hand-written)`,
      show(b?.reqPerSecRatio),
      show(v.reqPerSecRatio),
    ]);
  }
  return (
    `### Before and after (against ${file})\n\n` +
    table(['measure', 'before (min-max)', 'now (min-max)'], rows, [':--']) +
    '\n\nRatios only: both runs compare Orka with the hand-written side measured beside it, so they can be set side by side across runs (not across machines).'
  );
}

const usage = `npm run bench [-- options]
  --quick                 fewer rounds and shorter samples
  --only <list>           some of kernel,scale,http,bootstrap,newcomer,durable,scale-out (comma-separated)
  --node <path>           run the suites on another Node binary
  --against <file>        the kernel and HTTP ratios beside those of an earlier results file
  --profile               CPU profiles and their top functions instead of the benchmarks
  --no-build              measure the packages as built, without rebuilding stale ones`;
if (process.argv.includes('--help')) {
  console.log(usage);
  process.exit(0);
}

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const resultsDir = join(benchDir, 'results');
const args = parseArgs();
const quick = args.quick;
const suites = (args.values.get('only') ?? 'kernel,scale,http,bootstrap,newcomer,durable,scale-out').split(
  ',',
);
/** The Node binary the suites run on: this one, or --node. */
const nodeBinary = args.values.get('node') ?? process.execPath;
const scratch = mkdtempSync(join(os.tmpdir(), 'orka-bench-'));
const started = performance.now();

const builds = ['core', 'nestjs'].map((p) => join(benchDir, '..', 'packages', p, 'dist', 'esm', 'index.js'));

/**
 * Runs a suite script (relative to dist) in a fresh Node process and returns its JSON result. In a
 * work tree where someone else rebuilds the packages meanwhile (a build deletes dist first), a suite
 * can fail to load them: it is then run again once the builds are back, at most twice, with a warning.
 */
function runSuite<T>(script: string, nodeFlags: string[], suiteArgs: string[], node = nodeBinary): T {
  for (let attempt = 1; ; attempt++) {
    const out = join(scratch, `${script.replace(/[/.]/g, '_')}-${Date.now()}.json`);
    const res = spawnSync(node, [...nodeFlags, join(here, script), ...suiteArgs, '--out', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (res.status === 0) return JSON.parse(readFileSync(out, 'utf8')) as T;
    if (attempt > 2) throw new Error(`${script} ${suiteArgs.join(' ')} failed (exit ${res.status})`);
    process.stderr.write(
      `!! ${script} failed (exit ${res.status}); waiting for the packages' builds, then again\n`,
    );
    warnings.push(`${script} ${suiteArgs.join(' ')} failed once (exit ${res.status}) and was run again`);
    for (let waited = 0; waited < 120 && !builds.every((b) => existsSync(b)); waited++) sleepSeconds(1);
    sleepSeconds(5);
  }
}

function sleepSeconds(s: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, s * 1000);
}

const q = quick ? ['--quick'] : [];
const gcFlag = ['--expose-gc'];
const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
/** "median (min-max)" */
const range = (s: Summary, digits = 2) => `${f(s.median, digits)} (${f(s.min, digits)}-${f(s.max, digits)})`;
function table(headers: string[], rows: string[][], align?: string[]): string {
  const sep = headers.map((_, i) => align?.[i] ?? '---:');
  return [headers, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

// ---- result shapes (see each suite) -------------------------------------------------------------
interface KernelMode {
  execution: string;
  observer: string;
  hand: { usPerRun: Summary; runsPerSec: Summary; wallUsPerRun: Summary };
  orka: { usPerRun: Summary; runsPerSec: Summary; wallUsPerRun: Summary };
  ratio: Summary;
  overheadPerStepUs: Summary;
  wallRatio: Summary;
}
interface KernelResult {
  stepExecutionsPerRun: number;
  rounds: number;
  modes: KernelMode[];
}
interface StepsResult {
  rounds: number;
  sizes: {
    steps: number;
    orkaUsPerStep: Summary;
    handUsPerStep: Summary;
    overheadPerStepUs: Summary;
    ratio: Summary;
  }[];
}
interface MemoryResult {
  side: string;
  runs: number;
  ms: number;
  retainedBytesPerRun: number;
  heapAtParkMB: number;
  heapLiveAtParkMB: number;
  heapAfterMB: number;
  rssBeforeMB: number;
  maxRssMB: number;
}
interface HeapResult {
  variant: string;
  runs: number;
  seconds: number;
  heapBeforeKB: number;
  heapAfterKB: number;
  growthKB: number;
  growthBytesPerRun: number;
  abortListenersLeft: number;
  checkpoints: { runs: number; heapKB: number }[];
}
interface HttpVariantResult {
  variant: string;
  label: string;
  reqPerSec: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  serverCpuUsPerReq?: Summary;
  reqPerSecRatio?: Summary;
  cpuRatio?: Summary;
  requestsServed: number;
  non2xx: number;
  errors: number;
}
interface HttpResult {
  connections: number;
  seconds: number;
  rounds: number;
  variants: HttpVariantResult[];
}
interface BootstrapRun {
  variant: string;
  pipelines: number;
  steps: number;
  createMs: number;
  initMs: number;
}
interface Target {
  target: string;
  measured: string;
  met: boolean;
}

const output: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  quick,
  machine: machineInfo(),
  versions: { ...versions(), ...nodeVersions() },
};

/** Node's and V8's versions of the binary the suites run on. */
function nodeVersions(): Record<string, string> {
  const res = spawnSync(nodeBinary, ['-p', 'JSON.stringify([process.versions.node, process.versions.v8])'], {
    encoding: 'utf8',
  });
  const [node, v8] = JSON.parse(res.stdout) as [string, string];
  return { node, v8 };
}
const targets: Target[] = [];
const warnings: string[] = [];
const sections: string[] = [];

function kernelSuite(): void {
  const k = runSuite<KernelResult>('kernel/kernel.suite.js', gcFlag, q);
  output.kernel = k;
  const rows = k.modes.map((m) => [
    m.execution,
    m.observer,
    f(m.hand.usPerRun.median),
    f(m.orka.usPerRun.median),
    int(m.hand.runsPerSec.median),
    int(m.orka.runsPerSec.median),
    f(m.overheadPerStepUs.median, 3),
    `${range(m.ratio)}x`,
    `${f(m.wallRatio.median)}x`,
  ]);
  sections.push(
    `### Kernel: checkout workload (${k.stepExecutionsPerRun} step executions a run), ${k.rounds} rounds\n\n` +
      table(
        [
          'execution',
          'observer',
          'hand-written us/run',
          'Orka us/run',
          'hand-written runs/s',
          'Orka runs/s',
          'overhead us/step',
          'ratio (min-max)',
          'ratio by wall time',
        ],
        rows,
        [':--', ':--'],
      ) +
      '\n\nus/run and runs/s by CPU time of the process (medians); ratio = Orka / hand-written per round, median (min-max).',
  );
  for (const m of k.modes) {
    const most = m.observer === 'none' ? 3 : 10;
    targets.push({
      target: `kernel, ${m.execution}, ${m.observer === 'none' ? 'no observer' : 'with a TraceCollector'}: at most ${most}x the hand-written chain`,
      measured: `${range(m.ratio)}x`,
      met: m.ratio.median <= most,
    });
  }
}

function scaleSuite(): void {
  const steps = runSuite<StepsResult>('scale/steps.suite.js', gcFlag, q);
  const reps = quick ? 1 : 3;
  const memory: Record<string, MemoryResult[]> = { hand: [], orka: [] };
  for (let i = 0; i < reps; i++) {
    for (const side of ['hand', 'orka']) {
      memory[side]!.push(runSuite<MemoryResult>('scale/memory.suite.js', gcFlag, ['--side', side]));
    }
  }
  const heap = ['plain', 'signal'].map((variant) =>
    runSuite<HeapResult>('scale/heap.suite.js', gcFlag, [...q, '--variant', variant]),
  );
  output.scale = { steps, memory, heap };

  sections.push(
    `### Scale: linear pipelines of N async steps, ${steps.rounds} rounds\n\n` +
      table(
        ['steps', 'hand-written us/step', 'Orka us/step', 'overhead us/step (min-max)', 'ratio'],
        steps.sizes.map((s) => [
          int(s.steps),
          f(s.handUsPerStep.median, 3),
          f(s.orkaUsPerStep.median, 3),
          range(s.overheadPerStepUs, 3),
          `${f(s.ratio.median)}x`,
        ]),
      ),
  );
  const o = new Map(steps.sizes.map((s) => [s.steps, s.overheadPerStepUs.median]));
  const o10 = o.get(10)!;
  const o100 = o.get(100)!;
  const o1000 = o.get(1000)!;
  targets.push({
    target: 'overhead per step flat from 10 to 1,000 steps (at 1,000 within 25% of, or below, 10 and 100)',
    measured: `${f(o10, 3)} / ${f(o100, 3)} / ${f(o1000, 3)} us (1,000 vs 10: ${f(o1000 / o10)}x)`,
    met: o1000 <= 1.25 * o10 && o1000 <= 1.25 * o100,
  });

  const mem = (side: string, pick: (m: MemoryResult) => number) => median(memory[side]!.map(pick));
  sections.push(
    `### Scale: 10,000 concurrent checkout runs, all parked inside their sub-flow (median of ${reps} process${reps > 1 ? 'es' : ''} per side)\n\n` +
      table(
        [
          'side',
          'time for 10,000 ms',
          'live heap at park MB',
          'bytes per run in flight',
          'heap at park incl. garbage MB',
          'peak RSS MB',
        ],
        ['hand', 'orka'].map((side) => [
          side === 'hand' ? 'hand-written' : 'Orka',
          f(
            mem(side, (m) => m.ms),
            0,
          ),
          f(
            mem(side, (m) => m.heapLiveAtParkMB),
            1,
          ),
          int(mem(side, (m) => m.retainedBytesPerRun)),
          f(
            mem(side, (m) => m.heapAtParkMB),
            1,
          ),
          f(
            mem(side, (m) => m.maxRssMB),
            0,
          ),
        ]),
        [':--'],
      ),
  );
  const parked = mem('orka', (m) => m.retainedBytesPerRun);
  targets.push({
    target: 'bytes per run in flight (10,000 parked checkout runs): at most 2,000',
    measured: `${int(parked)} (hand-written: ${int(mem('hand', (m) => m.retainedBytesPerRun))})`,
    met: parked <= 2000,
  });

  sections.push(
    `### Scale: heap over ${int(heap[0]!.runs)} sequential runs (after a full GC)\n\n` +
      table(
        [
          'variant',
          'heap before KB',
          'heap after KB',
          'growth KB',
          'bytes/run',
          'checkpoints min-max KB',
          'abort listeners left',
          'seconds',
        ],
        heap.map((h) => {
          const ks = h.checkpoints.map((c) => c.heapKB);
          return [
            h.variant === 'plain' ? 'no signal' : 'app-wide signal, handler reads run.signal',
            int(h.heapBeforeKB),
            int(h.heapAfterKB),
            f(h.growthKB, 0),
            f(h.growthBytesPerRun, 3),
            `${int(Math.min(...ks))}-${int(Math.max(...ks))}`,
            String(h.abortListenersLeft),
            f(h.seconds, 1),
          ];
        }),
        [':--'],
      ),
  );
  for (const h of heap) {
    targets.push({
      target: `no heap growth over ${int(h.runs)} runs (${h.variant === 'plain' ? 'no signal' : 'app-wide signal'}; < 1 MB)`,
      measured: `${f(h.growthKB, 0)} KB`,
      met: h.growthKB < 1024 && h.abortListenersLeft === 0,
    });
  }
}

function httpSuite(): void {
  const h = runSuite<HttpResult>('http/http.suite.js', [], q);
  output.http = h;
  sections.push(
    `### HTTP: POST /orders, autocannon, ${h.connections} connections, ${h.rounds} rounds of ${h.seconds} s per variant\n\n` +
      table(
        [
          'endpoint',
          'req/s',
          'p50 ms',
          'p99 ms',
          'server CPU us/req',
          'req/s vs hand-written (min-max)',
          'by server CPU',
          'non-2xx / errors',
        ],
        h.variants.map((v) => [
          v.label,
          int(v.reqPerSec.median),
          f(v.p50Ms.median, 0),
          f(v.p99Ms.median, 0),
          v.serverCpuUsPerReq ? f(v.serverCpuUsPerReq.median, 0) : 'n/a',
          v.reqPerSecRatio ? `${range(v.reqPerSecRatio, 3)}` : 'n/a',
          v.cpuRatio ? f(v.cpuRatio.median, 3) : 'n/a',
          `${v.non2xx} / ${v.errors}`,
        ]),
        [':--'],
      ) +
      '\n\nMedians over rounds; ratios are per round (this variant over the hand-written endpoint of the same round). "By server CPU": hand-written CPU per request over this one\'s.',
  );
  const cls = h.variants.find((v) => v.variant === 'hand-cls')?.reqPerSecRatio;
  const ctx = h.variants.find((v) => v.variant === 'orka-ctx')?.reqPerSecRatio;
  if (cls && ctx) {
    sections.push(
      `Request context, side by side: OrkaContext keeps ${f(ctx.median * 100, 1)}% of the hand-written req/s, ` +
        `nestjs-cls on the hand-written endpoint ${f(cls.median * 100, 1)}% (the anchor; no target).`,
    );
  }
  const goal: Record<string, number> = { orka: 1, 'orka-ctx': 0.9 };
  for (const v of h.variants) {
    const min = goal[v.variant];
    if (min === undefined || !v.reqPerSecRatio) continue;
    targets.push({
      target: `HTTP ${v.variant === 'orka' ? 'without' : 'with'} OrkaContext: at least ${min * 100}% of the hand-written req/s`,
      measured: `${f(v.reqPerSecRatio.median * 100, 1)}% (by server CPU: ${v.cpuRatio ? f(v.cpuRatio.median * 100, 1) : 'n/a'}%)`,
      met: v.reqPerSecRatio.median >= min,
    });
  }
}

function bootstrapSuite(): void {
  const reps = quick ? 3 : 7;
  const runs: BootstrapRun[] = [];
  for (let i = 0; i < reps; i++) {
    for (const variant of ['orka', 'plain']) {
      runs.push(runSuite<BootstrapRun>('bootstrap/bootstrap.suite.js', [], ['--variant', variant]));
    }
  }
  const of = (variant: string, pick: (r: BootstrapRun) => number) =>
    summarize(runs.filter((r) => r.variant === variant).map(pick));
  const orkaInit = of('orka', (r) => r.initMs);
  output.bootstrap = {
    runs,
    orka: { createMs: of('orka', (r) => r.createMs), initMs: orkaInit },
    plain: { createMs: of('plain', (r) => r.createMs), initMs: of('plain', (r) => r.initMs) },
  };
  sections.push(
    `### Bootstrap: 200 pipelines of 20 steps (one conditional), ${reps} processes per variant\n\n` +
      table(
        ['application', 'NestFactory.create ms', 'app.init() ms (min-max)'],
        [
          [
            'OrkaModule + 200 @Pipeline classes',
            f(of('orka', (r) => r.createMs).median, 0),
            range(orkaInit, 0),
          ],
          [
            'the same 200 classes as plain providers, no Orka',
            f(of('plain', (r) => r.createMs).median, 0),
            range(
              of('plain', (r) => r.initMs),
              0,
            ),
          ],
        ],
        [':--'],
      ),
  );
  targets.push({
    target: 'bootstrap of 200 x 20: app.init() under 200 ms',
    measured: `${f(orkaInit.median, 0)} ms`,
    met: orkaInit.median < 200,
  });
}

interface DurableResult {
  steps: number;
  rounds: number;
  sequentialRuns: number;
  latency: Record<
    'memoryStore' | 'sqliteNormal' | 'sqliteFull' | 'postgres',
    {
      memoryUsPerRun: Summary;
      durableUsPerRun: Summary;
      addedUsPerStep: Summary;
    }
  >;
  throughput: Record<'sqliteNormal100' | 'sqliteFull64' | 'postgres64', { stepsPerSec: Summary }>;
  recovery: { leaseMs: number; sqlite: { resumedAfterMs: Summary } };
  waiting: { runs: number; beforeMB: number; waitingMB: number; bytesPerWaitingRun: number };
}

/** A Node with node:sqlite for the durable suites: this one, --node, or Node 24 from the cache. */
async function sqliteNode(suite: string): Promise<string> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (args.values.has('node') || major > 22 || (major === 22 && minor >= 13)) return nodeBinary;
  const node24 = (await import(join(benchDir, '..', 'scripts', 'node24.mjs'))) as {
    ensureNode24: (options?: { log?: (line: string) => void }) => string;
  };
  const node = node24.ensureNode24({ log: (line) => process.stderr.write(`${line}\n`) });
  warnings.push(`the ${suite} suite ran on ${node} (node:sqlite needs Node 22.13 or later)`);
  return node;
}

interface ScaleOutFigures {
  p50Ms: number;
  p99Ms: number;
  runsPerSec: number;
}

/** Scale-out (bench/src/scaleout): a 5-step run through BullMQ with 1 and 2 workers, SQLite beside it, BullMQ's floor. */
async function scaleOutSuite(): Promise<void> {
  const node = await sqliteNode('scale-out');
  const r = runSuite<
    { steps: number; sequential: number; concurrent: number } & Record<
      'floor' | 'sqlite' | 'one' | 'two',
      ScaleOutFigures
    >
  >('scaleout/scaleout.suite.js', [], q, node);
  output.scaleOut = r;
  const row = (name: string, x: ScaleOutFigures) => [name, f(x.p50Ms, 1), f(x.p99Ms, 1), int(x.runsPerSec)];
  sections.push(
    `### Scale-out: a ${r.steps}-step durable run through BullMQ (local Redis and PostgreSQL)\n\n` +
      table(
        ['setup', 'start to result p50 ms', 'p99 ms', 'runs/s (64 at once)'],
        [
          row('BullMQ alone: add a job that does nothing, wait for it (the floor)', r.floor),
          row('SQLite, one process (no queue)', r.sqlite),
          row('client + 1 worker (PostgreSQL, BullMQ)', r.one),
          row('client + 2 workers', r.two),
        ],
        [':--'],
      ) +
      `\n\n${r.sequential} runs one at a time (after 20 of warm-up), then ${r.concurrent} runs 64 at a time.`,
  );
  targets.push({
    target: 'scale-out: at most 25 ms p50 start to result for a 5-step run through the queue',
    measured: `${f(r.one.p50Ms, 1)} ms (1 worker), ${f(r.two.p50Ms, 1)} ms (2 workers)`,
    met: r.one.p50Ms <= 25 && r.two.p50Ms <= 25,
  });
}

/** Durable runs (bench/src/durable): on a Node with node:sqlite, Node 24 from the cache when needed. */
async function durableSuite(): Promise<void> {
  const node = await sqliteNode('durable');
  const r = runSuite<DurableResult>('durable/durable.suite.js', gcFlag, q, node);
  output.durable = r;
  const stores = [
    ['in-memory store', r.latency.memoryStore],
    ['SQLite, synchronous normal', r.latency.sqliteNormal],
    ['SQLite, synchronous full', r.latency.sqliteFull],
    ['PostgreSQL (local, synchronous_commit on)', r.latency.postgres],
  ] as const;
  sections.push(
    `### Durable runs: a ${r.steps}-step run, one at a time, against the same pipeline in memory\n\n` +
      table(
        ['store', 'in memory us/run', 'durable us/run', 'added us/step'],
        stores.map(([name, l]) => [
          name,
          range(l.memoryUsPerRun, 0),
          range(l.durableUsPerRun, 0),
          range(l.addedUsPerStep, 1),
        ]),
        [':--'],
      ) +
      `\n\nMedians (min-max) of ${r.rounds} rounds of ${r.sequentialRuns} runs each, after one round of warm-up; both sides in one process, alternating.` +
      `\n\n### Durable runs: committed steps per second, many runs at once\n\n` +
      table(
        ['store', 'runs at once', 'committed steps/s'],
        [
          ['SQLite, synchronous normal', '100', range(r.throughput.sqliteNormal100.stepsPerSec, 0)],
          ['SQLite, synchronous full', '64', range(r.throughput.sqliteFull64.stepsPerSec, 0)],
          ['PostgreSQL (local, synchronous_commit on)', '64', range(r.throughput.postgres64.stepsPerSec, 0)],
        ],
        [':--'],
      ) +
      `\n\nA run abandoned by a SIGKILLed process (lease ${r.recovery.leaseMs} ms, poll 250 ms) was completed by another ` +
      `process ${range(r.recovery.sqlite.resumedAfterMs, 0)} ms after the kill.` +
      `\n\n${int(r.waiting.runs)} runs waiting for a signal at once (SQLite normal): heap ${f(r.waiting.beforeMB, 1)} MB before they ` +
      `started, ${f(r.waiting.waitingMB, 1)} MB while they all waited (after a full collection): ` +
      `${f(r.waiting.bytesPerWaitingRun, 0)} bytes a waiting run; then ${int(r.waiting.runs)} signals woke and completed them all.`,
  );
  targets.push(
    {
      target: 'SQLite normal: added cost of a durable 12-step run at most 150 us a step (median)',
      measured: `${f(r.latency.sqliteNormal.addedUsPerStep.median, 1)} us`,
      met: r.latency.sqliteNormal.addedUsPerStep.median <= 150,
    },
    {
      target: 'SQLite normal: at least 5,000 committed steps/s with 100 concurrent runs',
      measured: `${int(r.throughput.sqliteNormal100.stepsPerSec.median)}/s`,
      met: r.throughput.sqliteNormal100.stepsPerSec.median >= 5_000,
    },
    {
      target: 'SQLite full: at least 2,000 committed steps/s with 64 concurrent runs',
      measured: `${int(r.throughput.sqliteFull64.stepsPerSec.median)}/s`,
      met: r.throughput.sqliteFull64.stepsPerSec.median >= 2_000,
    },
    {
      target: 'PostgreSQL: at least 1,000 committed steps/s with 64 concurrent runs',
      measured: `${int(r.throughput.postgres64.stepsPerSec.median)}/s`,
      met: r.throughput.postgres64.stepsPerSec.median >= 1_000,
    },
    {
      target: 'memory: 10,000 waiting runs hold no memory in the process (heap flat: under 1 KB a run)',
      measured: `${f(r.waiting.bytesPerWaitingRun, 0)} bytes a run`,
      met: r.waiting.bytesPerWaitingRun < 1024,
    },
    {
      target: `recovery: an abandoned run resumes within leaseMs + 1 s (${r.recovery.leaseMs + 1000} ms)`,
      measured: `${f(r.recovery.sqlite.resumedAfterMs.max, 0)} ms (slowest)`,
      met: r.recovery.sqlite.resumedAfterMs.max <= r.recovery.leaseMs + 1000,
    },
  );
}

interface NewcomerStart {
  listeningS: number;
  exitAfterCtrlCMs: number;
  exit: string;
}

/** `npm start` on a fresh clone, then again with nothing changed (bench/src/newcomer). */
function newcomerSuite(): void {
  const r = runSuite<{ first: NewcomerStart; second: NewcomerStart }>('newcomer/newcomer.suite.js', [], []);
  output.newcomer = r;
  sections.push(
    `### The newcomer's first minute: \`npm start\` on a fresh clone of main, then again\n\n` +
      table(
        ['start', 'npm start to listening', 'Ctrl-C to npm exited', 'npm ended by'],
        [
          [
            'first (installs, builds)',
            `${f(r.first.listeningS, 1)} s`,
            `${f(r.first.exitAfterCtrlCMs, 0)} ms`,
            r.first.exit,
          ],
          [
            'second (nothing changed)',
            `${f(r.second.listeningS, 1)} s`,
            `${f(r.second.exitAfterCtrlCMs, 0)} ms`,
            r.second.exit,
          ],
        ],
        [':--'],
      ),
  );
  targets.push(
    {
      target: 'first npm start on a fresh clone: listening within 90 s',
      measured: `${f(r.first.listeningS, 1)} s`,
      met: r.first.listeningS <= 90,
    },
    {
      target: 'second npm start, nothing changed: listening within 5 s',
      measured: `${f(r.second.listeningS, 1)} s`,
      met: r.second.listeningS <= 5,
    },
  );
}

function profile(): void {
  const dir = join(resultsDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const prof = (name: string) => [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    `--cpu-prof-name=${name}.cpuprofile`,
  ];
  const kernelRun = (name: string, extra: string[]) => {
    const res = spawnSync(nodeBinary, [...prof(name), join(here, 'tools/profile-kernel.js'), ...extra], {
      stdio: 'inherit',
    });
    if (res.status !== 0) throw new Error(`profiling ${name} failed`);
  };
  kernelRun('kernel', ['--seconds', '4']);
  kernelRun('kernel-trace', ['--seconds', '4', '--trace']);
  const http = runSuite<HttpResult>(
    'http/http.suite.js',
    [],
    ['--rounds', '2', '--seconds', '5', '--profile-dir', dir],
  );
  runSuite('bootstrap/bootstrap.suite.js', prof('bootstrap'), ['--variant', 'orka']);
  const load = (name: string) =>
    JSON.parse(readFileSync(join(dir, `${name}.cpuprofile`), 'utf8')) as CpuProfile;
  const summary: Record<string, unknown> = {};
  for (const name of ['kernel', 'kernel-trace', 'http-orka', 'http-orka-ctx', 'bootstrap']) {
    const p = load(name);
    const self = topSelfTime(p, () => true, 12);
    const orkaSelf = topSelfTime(p, isOrka, 12);
    const orkaInclusive = topInclusiveTime(p, isOrka, 12);
    summary[name] = { busyMs: busyMs(p), self, orkaSelf, orkaInclusive };
    sections.push(
      `### Profile ${name} (${f(busyMs(p), 0)} ms busy)\n\nSelf time, all code:\n\n${markdownTop(self)}` +
        `\n\nSelf time, Orka code:\n\n${markdownTop(orkaSelf)}` +
        `\n\nInclusive time, Orka code:\n\n${markdownTop(orkaInclusive, 'inclusive')}`,
    );
  }
  // HTTP: CPU per request by package, each Orka variant against the hand-written endpoint.
  const perRequest = new Map<string, Map<string, number>>();
  for (const v of http.variants) {
    const byPackage = selfTimeByPackage(load(`http-${v.variant}`));
    perRequest.set(
      v.variant,
      new Map([...byPackage].map(([pkg, ms]) => [pkg, (ms * 1000) / v.requestsServed])),
    );
  }
  const hand = perRequest.get('hand') ?? new Map<string, number>();
  const packages = [...new Set([...perRequest.values()].flatMap((m) => [...m.keys()]))];
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const rows = packages
    .map((pkg) => ({ pkg, values: http.variants.map((v) => perRequest.get(v.variant)!.get(pkg) ?? 0) }))
    .filter((r) => r.values.some((x) => x >= 0.5))
    .sort((a, b) => b.values[b.values.length - 1]! - a.values[a.values.length - 1]!);
  summary.httpRequestsProfiled = Object.fromEntries(http.variants.map((v) => [v.variant, v.requestsServed]));
  summary.httpPerRequestByPackage = Object.fromEntries(
    [...perRequest].map(([k, m]) => [k, Object.fromEntries(m)]),
  );
  sections.push(
    `### Profile HTTP: CPU us per request by package (self time, idle left out; profiler on)\n\n` +
      table(
        [
          'package',
          ...http.variants.map((v) => v.variant),
          ...http.variants.slice(1).map((v) => `${v.variant} - hand`),
        ],
        [
          ...rows.map((r) => [
            r.pkg,
            ...r.values.map((x) => f(x, 1)),
            ...r.values.slice(1).map((x) => f(x - (hand.get(r.pkg) ?? 0), 1)),
          ]),
          [
            '**total**',
            ...http.variants.map((v) => f(total(perRequest.get(v.variant)!), 1)),
            ...http.variants.slice(1).map((v) => f(total(perRequest.get(v.variant)!) - total(hand), 1)),
          ],
        ],
        [':--'],
      ),
  );
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

try {
  if (args.flags.has('profile')) {
    profile();
  } else {
    for (const s of suites) {
      const t = performance.now();
      process.stderr.write(`\n== ${s}\n`);
      if (s === 'kernel') kernelSuite();
      else if (s === 'scale') scaleSuite();
      else if (s === 'http') httpSuite();
      else if (s === 'bootstrap') bootstrapSuite();
      else if (s === 'newcomer') newcomerSuite();
      else if (s === 'durable') await durableSuite();
      else if (s === 'scale-out') await scaleOutSuite();
      else throw new Error(`unknown suite ${s}`);
      process.stderr.write(`== ${s}: ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
    }
  }
  (output.machine as Record<string, unknown>).loadAverageAtEnd = os
    .loadavg()
    .map((l) => Math.round(l * 100) / 100);
  const against = args.values.get('against');
  if (against !== undefined) sections.push(beforeAfter(against));
  output.targets = targets;
  output.warnings = warnings;
  output.seconds = (performance.now() - started) / 1000;

  const m = output.machine as ReturnType<typeof machineInfo> & { loadAverageAtEnd: number[] };
  const v = output.versions as Record<string, string>;
  console.log(`\n## Orka benchmarks${quick ? ' (quick)' : ''}\n`);
  console.log(
    `${m.cpus} x ${m.cpuModel}, ${m.memoryGB} GB, ${m.platform}; load average ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end`,
  );
  console.log(
    Object.entries(v)
      .map(([k, x]) => `${k} ${x}`)
      .join(', '),
  );
  for (const s of sections) console.log(`\n${s}`);
  if (targets.length > 0) {
    console.log(
      `\n### Targets\n\n${table(
        ['target', 'measured', 'met'],
        targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**']),
        [':--', ':--', ':--'],
      )}`,
    );
  }
  console.log(
    `\n${f(output.seconds as number, 0)} s in all. Absolute numbers vary by machine; compare ratios.`,
  );
  if (!args.flags.has('profile')) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);
    console.log(`Written to ${join('bench', 'results', 'latest.json')}.`);
  } else {
    console.log(`Profiles in ${join('bench', 'results', 'profiles')}.`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
