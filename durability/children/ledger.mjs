// The services the children's steps call: a ledger of effects, idempotent by key, as a payment
// provider is by idempotency key. Every call is written down (at-least-once execution shows there);
// an effect is applied only when its key is new (so a step run twice has its effect once).
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

function appendDurably(path, line) {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class Ledger {
  constructor(dir) {
    this.calls = `${dir}/calls.jsonl`;
    this.effects = `${dir}/effects.jsonl`;
  }

  /** Notes that a handler was called, by whom. */
  call(key, what) {
    appendFileSync(this.calls, `${JSON.stringify({ key, what, pid: process.pid })}\n`);
  }

  /** Applies an effect once per key; true when it was applied now. */
  apply(key, what) {
    if (this.keys().has(key)) return false;
    appendDurably(this.effects, JSON.stringify({ key, what, pid: process.pid }));
    return true;
  }

  keys() {
    if (!existsSync(this.effects)) return new Set();
    return new Set(
      readFileSync(this.effects, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).key),
    );
  }
}
