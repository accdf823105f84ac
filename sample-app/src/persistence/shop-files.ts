import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** A lock older than this was left by a process that died holding it. */
const STALE_LOCK_MS = 2_000;

/**
 * The fake shop's state (orders, stock, payments) as JSON files beside the run store, so that a demo
 * killed with `kill -9`, or scaled out to worker processes on one machine, sees one world: a real shop
 * keeps these in its own database, and a real payment provider keeps its charges on its side. Each
 * change takes a lock file, reads the state afresh, changes it and writes it durably (synced, then
 * renamed over the old file). Without a folder (`ORKA_STORE=memory`), everything stays in memory.
 */
export class ShopFiles {
  private readonly memory = new Map<string, unknown>();

  constructor(readonly dir: string | undefined) {
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
  }

  /** The state kept under `name`, as it is now. */
  read<T>(name: string, initial: () => T): T {
    if (this.dir === undefined) {
      if (!this.memory.has(name)) this.memory.set(name, initial());
      return this.memory.get(name) as T;
    }
    const path = this.path(name);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : initial();
  }

  /** Changes the state under `name`, all or nothing, with no other process changing it meanwhile. */
  update<T, R>(name: string, initial: () => T, change: (state: T) => R): R {
    if (this.dir === undefined) return change(this.read(name, initial));
    const unlock = this.lock(name);
    try {
      const state = this.read(name, initial);
      const result = change(state);
      this.write(name, state);
      return result;
    } finally {
      unlock();
    }
  }

  private path(name: string): string {
    return join(this.dir!, `${name}.json`);
  }

  private write(name: string, value: unknown): void {
    const path = this.path(name);
    const fd = openSync(`${path}.tmp-${process.pid}`, 'w');
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp-${process.pid}`, path);
  }

  /** Takes the lock of `name` (a file created exclusively); synchronous, as the changes are. */
  private lock(name: string): () => void {
    const lockPath = `${this.path(name)}.lock`;
    for (;;) {
      try {
        closeSync(openSync(lockPath, 'wx'));
        return () => rmSync(lockPath, { force: true });
      } catch {
        try {
          if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) rmSync(lockPath, { force: true });
        } catch {
          // Gone in between: try again.
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}
