import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * The fake shop's state (orders, stock, payments) as files beside the run store, so that a demo
 * killed with `kill -9` comes back with the world its durable runs left: a real shop keeps these in
 * its own database, and a real payment provider keeps its charges on its side. Without a folder
 * (`ORKA_STORE=memory`), everything stays in memory.
 */
export class ShopFiles {
  constructor(readonly dir: string | undefined) {
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
  }

  /** The state kept under `name`, as last saved, or `initial`. */
  load<T>(name: string, initial: T): T {
    if (this.dir === undefined) return initial;
    const path = join(this.dir, `${name}.json`);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : initial;
  }

  /** Saves the state under `name`, durably (written, synced, then renamed over the old file). */
  save(name: string, value: unknown): void {
    if (this.dir === undefined) return;
    const path = join(this.dir, `${name}.json`);
    const fd = openSync(`${path}.tmp`, 'w');
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
  }
}
