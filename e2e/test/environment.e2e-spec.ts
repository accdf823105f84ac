import { describe, expect, it } from '@jest/globals';
import { freePort, startMain } from './support/main-process.js';

// The environment the sample app starts in: a mistake there is one line and exit code 1, not a stack
// trace; an IPv6 host prints a URL that works when pasted.

describe('node sample-app/dist/main.js and its environment', () => {
  it.each([['abc'], ['70000'], ['-1'], ['3000x']])(
    'PORT=%s exits 1 with a one-line message',
    async (port) => {
      const app = startMain({ PORT: port });
      const exit = await app.exited;
      expect(exit).toEqual({ code: 1, signal: null });
      const lines = app.output().trim().split('\n');
      expect(lines).toEqual([`sample-app: PORT must be a whole number from 0 to 65535, got "${port}".`]);
    },
    60_000,
  );

  it('a port that is already taken exits 1 with a one-line message', async () => {
    const port = await freePort();
    const first = startMain({ PORT: String(port), HOST: '127.0.0.1' });
    await first.waitFor(/listening on/);
    try {
      const second = startMain({ PORT: String(port), HOST: '127.0.0.1' });
      expect(await second.exited).toEqual({ code: 1, signal: null });
      expect(second.output()).toContain(`sample-app: cannot listen on 127.0.0.1:${port}: EADDRINUSE.`);
      expect(second.output()).not.toMatch(/\n\s+at /);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  }, 60_000);

  it('HOST=::1 prints URLs with the address in brackets, and they answer', async () => {
    const port = await freePort();
    const app = startMain({ PORT: String(port), HOST: '::1' });
    try {
      // The requests to try are printed last.
      await app.waitFor(/\/pipelines\/checkout\/diagram/);
      const base = `http://[::1]:${port}`;
      expect(app.output()).toContain(`Orka sample app listening on ${base}`);
      expect(app.output()).toContain(`${base}/users`);
      const res = await fetch(`${base}/pipelines`);
      expect(res.status).toBe(200);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toEqual({ code: 0, signal: null });
    }
  }, 60_000);
});
