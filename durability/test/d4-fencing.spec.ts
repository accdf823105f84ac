import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerOf, startChild, stopServices, storeUnderTest } from './support/harness.js';

afterAll(stopServices);

describe('D4 fencing: an owner whose lease passed to another is refused and runs no further step', () => {
  it('D4 a runner paused mid-step (SIGSTOP) loses the run to a second runner; resumed (SIGCONT), it commits nothing more', async () => {
    const store = await storeUnderTest('fencing');
    const ledger = mkdtempSync(join(tmpdir(), 'orka-ledger-'));
    const runId = randomUUID();
    const env = { ORKA_STORE: store.spec, ORKA_LEDGER: ledger, ORKA_RUN_ID: runId, ORKA_LEASE_MS: '300' };
    try {
      const a = startChild('checkout.mjs', {
        ...env,
        ORKA_MODE: 'start',
        ORKA_OWNER: 'A',
        ORKA_HOLD: 'charge',
      });
      await a.line((l) => l.event === 'holding');
      a.kill('SIGSTOP');

      // B takes the run over once A's lease has run out (A cannot renew it: it is stopped).
      const b = startChild('checkout.mjs', { ...env, ORKA_MODE: 'resume', ORKA_OWNER: 'B' });
      const done = await b.line((l) => l.event === 'result');
      expect(done.outcome).toBe('completed');
      expect((await b.exit).code).toBe(0);

      writeFileSync(join(ledger, 'release'), '');
      a.kill('SIGCONT');
      // A learns at its next write that the run is not its own any more, and waits for the result.
      const refused = await a.line((l) => l.event === 'commit-refused' || l.event === 'renew-refused');
      expect(['commit-refused', 'renew-refused']).toContain(refused.event);
      const seenByA = await a.line((l) => l.event === 'result');
      expect(seenByA.outcome).toBe('completed');
      expect((await a.exit).code).toBe(0);

      const calls = ledgerOf(ledger, 'calls');
      const byA = calls.filter((c) => c.pid === a.pid).map((c) => c.what);
      const byB = calls.filter((c) => c.pid === b.pid).map((c) => c.what);
      // A ran reserve and was in charge when it was paused; it ran no step after that.
      expect(byA).toEqual(['reserve', 'charge']);
      expect(byB).toEqual(['charge', 'standard', 'notify', 'finish']);
      // The charge has one effect, under one key, although two processes ran it.
      const charges = ledgerOf(ledger, 'effects').filter((e) => e.what === 'charge');
      expect(charges).toHaveLength(1);

      const reader = await store.open();
      const loaded = await reader.load(runId);
      await reader.close();
      expect(loaded!.run.status).toBe('completed');
      expect(loaded!.steps.filter((s) => !s.key.includes('#')).map((s) => s.key)).toEqual([
        'reserve',
        'charge',
        'shipping',
        'notify',
      ]);
    } finally {
      await store.dispose();
    }
  });
});
