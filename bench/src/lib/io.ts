import { writeFileSync } from 'node:fs';

/** Progress goes to stderr, so that a suite's stdout stays free for whoever reads it. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Writes a suite's result as JSON to `out` (given by the runner), or to stdout when there is none. */
export function writeResult(out: string | undefined, result: unknown): void {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

/** `gc()` from `--expose-gc`; the memory suites refuse to run without it. */
export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('Run this suite with node --expose-gc.');
  return gc;
}

/** `gc()` when exposed, nothing otherwise. */
export function maybeGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
