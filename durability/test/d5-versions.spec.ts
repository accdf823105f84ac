import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerOf, runChild, startChild, stopServices, storeUnderTest } from './support/harness.js';

afterAll(stopServices);

describe('D5 a run only runs on the definition it started with', () => {
  it('D5 a run of version 1 is left alone by a runner with version 2, shown as blocked, and completes when version 1 is back', async () => {
    const store = await storeUnderTest('versions');
    const ledger = mkdtempSync(join(tmpdir(), 'orka-ledger-'));
    const runId = randomUUID();
    const env = { ORKA_STORE: store.spec, ORKA_LEDGER: ledger, ORKA_RUN_ID: runId, ORKA_LEASE_MS: '300' };
    try {
      const v1 = startChild('checkout.mjs', {
        ...env,
        ORKA_MODE: 'start',
        ORKA_FAILPOINT: 'in-handler:charge',
      });
      expect((await v1.exit).signal).toBe('SIGKILL');

      const v2 = await runChild('checkout.mjs', { ...env, ORKA_MODE: 'inspect', ORKA_VERSION: '2' });
      const { snapshot } = v2.find((l) => l.event === 'snapshot') as unknown as {
        snapshot: {
          status: string;
          version: string;
          blocked?: { reason: string };
          steps: { step: string }[];
        };
      };
      expect(snapshot.status).toBe('running');
      expect(snapshot.version).toBe('1');
      expect(snapshot.blocked?.reason).toBe('definition');
      expect(snapshot.steps.map((s) => s.step)).toEqual(['reserve']);
      // Version 2 ran none of its steps on it.
      expect(ledgerOf(ledger, 'calls').map((c) => c.what)).toEqual(['reserve', 'charge']);

      const back = await runChild('checkout.mjs', { ...env, ORKA_MODE: 'resume', ORKA_VERSION: '1' });
      expect(back.find((l) => l.event === 'result')?.outcome).toBe('completed');
      expect(ledgerOf(ledger, 'effects').map((e) => e.what)).toEqual([
        'reserve',
        'charge',
        'standard',
        'notify',
        'finish completed',
      ]);
    } finally {
      await store.dispose();
    }
  });
});
