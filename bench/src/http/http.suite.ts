// Part 3: the checkout endpoint through PipelineRunner against the same logic hand-written, with
// autocannon on 127.0.0.1 (50 connections). Each variant runs in its own server process, started
// once; rounds alternate between the variants (in a rotating order), and each round's ratio to the
// hand-written endpoint of the same round is kept. Besides req/s and latency, the server process's
// CPU time per request is read from /proc (Linux): on a machine shared with other work it is the
// steadier measure of what the framework costs.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { parseArgs } from '../lib/args.js';
import { log, writeResult } from '../lib/io.js';
import { summarize, type Summary } from '../lib/stats.js';
import { endpoint, variants } from './targets.js';

const args = parseArgs();
const connections = Number(args.values.get('connections') ?? 50);
const seconds = Number(args.values.get('seconds') ?? (args.quick ? 2 : 5));
const rounds = Number(args.values.get('rounds') ?? (args.quick ? 3 : 6));
const warmupSeconds = args.quick ? 2 : 4;
/** With it, each server profiles the measured rounds (not the warm-up) into <dir>/http-<variant>.cpuprofile. */
const profileDir = args.values.get('profile-dir');
const only = args.values.get('variants')?.split(',');

interface Server {
  name: string;
  label: string;
  port: number;
  child: ChildProcess;
  /** The next line the server prints. */
  nextLine: () => Promise<string>;
}

async function startServer(name: string, label: string): Promise<Server> {
  const script = fileURLToPath(new URL('./server.js', import.meta.url));
  const profile = profileDir ? ['--profile-out', join(profileDir, `http-${name}.cpuprofile`)] : [];
  const child = spawn(process.execPath, [script, '--variant', name, ...profile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : queue.push(line)));
  const nextLine = () =>
    queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<string>((r) => waiting.push(r));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`server ${name} exited with ${code}`))),
  );
  const port = await Promise.race([nextLine().then((l) => (JSON.parse(l) as { port: number }).port), exited]);
  exited.catch(() => undefined);
  return { name, label, port, child, nextLine };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.stdin!.end();
  server.child.kill('SIGTERM');
  await exited;
}

/** utime + stime of a process, in milliseconds (Linux), or undefined. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/pid/stat (utime, stime), counted from after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function post(port: number, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${endpoint.path}`, {
    method: endpoint.method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function masked(json: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...json };
  for (const k of endpoint.volatile) if (k in copy) copy[k] = typeof copy[k];
  return copy;
}

/** Both bodies give the same response (but for generated ids) on every variant; a bad body is a 400. */
async function verify(servers: Server[]): Promise<void> {
  const reference = servers.find((s) => s.name === 'hand') ?? servers[0]!;
  for (const body of endpoint.bodies) {
    const expected = await post(reference.port, body);
    strictEqual(expected.status, 201, `${reference.name}: ${JSON.stringify(expected.json)}`);
    for (const s of servers) {
      const got = await post(s.port, body);
      strictEqual(got.status, 201, `${s.name}: ${JSON.stringify(got.json)}`);
      deepStrictEqual(masked(got.json), masked(expected.json), `${s.name} answers like ${reference.name}`);
    }
  }
  for (const s of servers) strictEqual((await post(s.port, endpoint.invalid)).status, 400, `${s.name}: 400`);
  log(`http: verified (${servers.map((s) => s.name).join(', ')} answer alike; invalid body: 400)`);
}

interface Round {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  serverCpuUsPerReq: number | undefined;
  non2xx: number;
  errors: number;
}

async function load(server: Server, duration: number): Promise<Round> {
  const cpu0 = cpuMsOf(server.child.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    duration,
    requests: endpoint.bodies.map((b) => ({
      method: endpoint.method,
      path: endpoint.path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(b),
    })),
  });
  const cpu1 = cpuMsOf(server.child.pid);
  const requests = result.requests.total;
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    serverCpuUsPerReq:
      cpu0 !== undefined && cpu1 !== undefined && requests > 0
        ? ((cpu1 - cpu0) * 1000) / requests
        : undefined,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const chosen = variants.filter((v) => (only ? only.includes(v.name) : !v.experimental));
  const servers: Server[] = [];
  try {
    for (const v of chosen) servers.push(await startServer(v.name, v.label));
    await verify(servers);
    const served = new Map<string, number>(servers.map((s) => [s.name, 2 * endpoint.bodies.length + 1]));
    for (const s of servers)
      served.set(s.name, served.get(s.name)! + (await load(s, warmupSeconds)).requests);
    log(`http: warmed up; ${rounds} rounds of ${seconds} s per variant, ${connections} connections`);
    if (profileDir) {
      for (const s of servers) {
        s.child.stdin!.write('profile-start\n');
        served.set(s.name, 0);
      }
    }
    const byName = new Map<string, Round[]>(servers.map((s) => [s.name, []]));
    for (let r = 0; r < rounds; r++) {
      const order = servers.map((_, i) => servers[(i + r) % servers.length]!);
      for (const s of order) {
        const round = await load(s, seconds);
        byName.get(s.name)!.push(round);
        served.set(s.name, served.get(s.name)! + round.requests);
      }
      log(`http: round ${r + 1}/${rounds}`);
    }
    if (profileDir) {
      for (const s of servers) {
        s.child.stdin!.write('profile-stop\n');
        await s.nextLine();
      }
    }
    const hand = byName.get('hand');
    const results = servers.map((s) => {
      const list = byName.get(s.name)!;
      const cpu = list.map((x) => x.serverCpuUsPerReq).filter((x): x is number => x !== undefined);
      const ratio = (f: (x: Round) => number): Summary | undefined =>
        hand ? summarize(list.map((x, i) => f(x) / f(hand[i]!))) : undefined;
      return {
        variant: s.name,
        label: s.label,
        reqPerSec: summarize(list.map((x) => x.reqPerSec)),
        p50Ms: summarize(list.map((x) => x.p50)),
        p99Ms: summarize(list.map((x) => x.p99)),
        serverCpuUsPerReq: cpu.length === list.length ? summarize(cpu) : undefined,
        /** req/s over the hand-written endpoint's, per round. */
        reqPerSecRatio: ratio((x) => x.reqPerSec),
        /** Server CPU per request of the hand-written endpoint over this one's: a throughput ratio. */
        cpuRatio:
          cpu.length === list.length ? ratio((x) => 1 / (x.serverCpuUsPerReq ?? Number.NaN)) : undefined,
        /** The requests the server answered (when profiling: while the profiler ran). */
        requestsServed: served.get(s.name)!,
        non2xx: list.reduce((n, x) => n + x.non2xx, 0),
        errors: list.reduce((n, x) => n + x.errors, 0),
      };
    });
    writeResult(args.out, { suite: 'http', connections, seconds, rounds, variants: results });
  } finally {
    for (const s of servers) await stopServer(s);
  }
}

await main();
