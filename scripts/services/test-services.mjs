// The real services that the durable and scale-out suites need (PostgreSQL, Redis): no fakes.
//
// Each `ensure*` function finds a server, in this order:
//   1. the URL in the environment (ORKA_TEST_DATABASE_URL, ORKA_TEST_REDIS_URL), else the standard port on
//      127.0.0.1, when something answers there;
//   2. else, when the server's binaries are installed, one of its own, started on a free port in a
//      temporary folder (stopped by the returned `stop()`);
//   3. else it throws an Error that says how to get one. A suite never skips silently.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Whether something accepts TCP connections at host:port within `ms`. */
function answers(host, port, ms = 1500) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The path of an executable on PATH or in one of the extra folders, or undefined. */
function findBinary(name, extraDirs = []) {
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  for (const dir of extraDirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function postgresBinDirs() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) };
}

/**
 * A PostgreSQL server for tests.
 * @returns {Promise<{ url: string, stop: () => Promise<void>, started: boolean }>}
 */
export async function ensurePostgres() {
  const url = process.env.ORKA_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const { host, port } = hostPort(url, 5432);
  if (await answers(host, port)) return { url, stop: async () => {}, started: false };
  const dirs = postgresBinDirs();
  const initdb = findBinary('initdb', dirs);
  const pgCtl = findBinary('pg_ctl', dirs);
  if (!initdb || !pgCtl) {
    throw new Error(
      `No PostgreSQL answers at ${host}:${port} (ORKA_TEST_DATABASE_URL=${process.env.ORKA_TEST_DATABASE_URL ?? 'unset'}), ` +
        `and no initdb/pg_ctl is installed to start one. Start a server (for example: apt-get install postgresql, or ` +
        `docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres) and set ORKA_TEST_DATABASE_URL ` +
        `(postgresql://user@host:port/db).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'orka-pg-'));
  const own = await freePort();
  // initdb refuses to run as root: run the server as the postgres user when there is one.
  const asUser = userInfo().uid === 0 ? 'postgres' : undefined;
  const runAs = (bin, args) => {
    if (asUser === undefined) return execFileSync(bin, args, { stdio: 'pipe' });
    return execFileSync('runuser', ['-u', asUser, '--', bin, ...args], { stdio: 'pipe' });
  };
  if (asUser !== undefined) {
    const id = execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(id), Number(gid));
  }
  const data = join(dir, 'data');
  runAs(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  runAs(pgCtl, [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-p ${own} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
    '-w',
    'start',
  ]);
  return {
    url: `postgresql://postgres@127.0.0.1:${own}/postgres`,
    started: true,
    stop: async () => {
      try {
        runAs(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A Redis server for tests.
 * @returns {Promise<{ url: string, stop: () => Promise<void>, started: boolean }>}
 */
export async function ensureRedis() {
  const url = process.env.ORKA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { host, port } = hostPort(url, 6379);
  if (await answers(host, port)) return { url, stop: async () => {}, started: false };
  const server = findBinary('redis-server');
  if (!server) {
    throw new Error(
      `No Redis answers at ${host}:${port} (ORKA_TEST_REDIS_URL=${process.env.ORKA_TEST_REDIS_URL ?? 'unset'}), and no ` +
        `redis-server is installed to start one. Start one (for example: apt-get install redis-server, or docker run ` +
        `-p 6379:6379 redis) and set ORKA_TEST_REDIS_URL (redis://host:port).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'orka-redis-'));
  const own = await freePort();
  const child = spawn(
    server,
    ['--bind', '127.0.0.1', '--port', String(own), '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100 && !(await answers('127.0.0.1', own, 200)); i++)
    await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${own}`,
    started: true,
    stop: async () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
