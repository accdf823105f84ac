import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ledgerOf,
  runChild,
  startChild,
  stopServices,
  storeUnderTest,
  type Line,
} from './support/harness.js';

// D1 D2 D6: a child process runs the checkout on a real store and is killed (SIGKILL, by a failpoint
// it turns on from its environment) at one moment; a second process opens the same store, takes the
// run over once the dead one's lease has run out, and finishes it. The run must end as one without a
// crash would: the same outcome and context, every step committed once, and the ledger (written by
// the steps, idempotent by run.stepKey) holding exactly one effect per step.

afterAll(stopServices);

interface Outcome {
  result: Line;
  effects: Map<string, string>;
  records: [string, string][];
  calls: { key: string; what: string; pid: number }[];
}

/** What a run of `input` ends with when `failpoint` kills its first process (none: no crash). */
async function runWith(input: object, failpoint: string | undefined): Promise<Outcome> {
  const store = await storeUnderTest('crash');
  const ledger = mkdtempSync(join(tmpdir(), 'orka-ledger-'));
  const runId = randomUUID();
  const env = {
    ORKA_STORE: store.spec,
    ORKA_LEDGER: ledger,
    ORKA_RUN_ID: runId,
    ORKA_INPUT: JSON.stringify(input),
  };
  try {
    let result: Line | undefined;
    if (failpoint === undefined) {
      result = (await runChild('checkout.mjs', { ...env, ORKA_MODE: 'start' })).find(
        (l) => l.event !== 'started',
      );
    } else {
      const first = startChild('checkout.mjs', { ...env, ORKA_MODE: 'start', ORKA_FAILPOINT: failpoint });
      const end = await first.exit;
      expect(first.lines.find((l) => l.event === 'dying')).toEqual({ event: 'dying', at: failpoint });
      expect(end.signal).toBe('SIGKILL');
      const second = await runChild('checkout.mjs', { ...env, ORKA_MODE: 'resume' });
      result = second.find((l) => l.event === 'result' || l.event === 'failed');
    }
    const reader = await store.open();
    const loaded = await reader.load(runId);
    await reader.close();
    const records = loaded!.steps
      .filter((s) => !s.key.includes('#'))
      .map(
        (s) =>
          [s.key, (JSON.parse(s.data) as { record: { status: string } }).record.status] as [string, string],
      );
    // Keys are unique per run by construction of the store (a primary key); the list shows each once.
    const norm = (key: string) => key.replace(runId, 'RUN');
    const effects = new Map<string, string>();
    for (const e of ledgerOf(ledger, 'effects')) {
      expect(effects.has(norm(e.key))).toBe(false);
      effects.set(norm(e.key), e.what);
    }
    return { result: result!, effects, records, calls: ledgerOf(ledger, 'calls') };
  } finally {
    await store.dispose();
  }
}

const paths = {
  standard: {},
  express: { express: true },
  failing: { failAtNotify: true },
};

const crashPoints: [string, keyof typeof paths, string][] = [
  ['after start() resolved', 'standard', 'after-start'],
  ['inside a step handler, after its effect', 'standard', 'in-handler:charge'],
  ['after a handler returned, before its commit', 'standard', 'before-commit:charge'],
  ['right after a commit', 'standard', 'after-commit:charge'],
  ['inside a sub-run step', 'express', 'in-handler:pack'],
  ['before a sub-run step commits', 'express', 'before-commit:shipping/express/label'],
  ['inside a compensation', 'failing', 'in-compensation:charge'],
  ['inside a finisher', 'standard', 'in-finisher'],
];

describe('D2 a crash at any point loses nothing and repeats no effect', () => {
  const references = new Map<string, Promise<Outcome>>();
  const reference = (path: keyof typeof paths) => {
    if (!references.has(path)) references.set(path, runWith(paths[path], undefined));
    return references.get(path)!;
  };

  it.each(crashPoints)(
    'D2 D6 killed %s (%s, %s): the run ends as without the crash',
    async (_, path, failpoint) => {
      const [crashed, clean] = await Promise.all([runWith(paths[path], failpoint), reference(path)]);
      expect(crashed.result.event).toBe(clean.result.event);
      if (clean.result.event === 'result') {
        expect(crashed.result.outcome).toBe(clean.result.outcome);
        expect(crashed.result.context).toEqual(clean.result.context);
      } else {
        expect([crashed.result.name, crashed.result.code, crashed.result.step]).toEqual([
          'RunFailedError',
          'MAIL_DOWN',
          'notify',
        ]);
      }
      expect(crashed.records).toEqual(clean.records);
      expect([...crashed.effects].sort()).toEqual([...clean.effects].sort());
      // Two processes did the work: the one that died, and the one that finished (the one killed right
      // after start() may have died before its first step).
      const workers = new Set(crashed.calls.map((c) => c.pid)).size;
      if (failpoint === 'after-start') expect(workers).toBeGreaterThanOrEqual(1);
      else expect(workers).toBe(2);
    },
  );

  it('D2 the step that was in flight when its process died ran again, under the same step key', async () => {
    const crashed = await runWith(paths.standard, 'in-handler:charge');
    const charges = crashed.calls.filter((c) => c.what === 'charge');
    expect(charges).toHaveLength(2);
    expect(charges[0]!.key).toBe(charges[1]!.key);
    expect(charges[0]!.pid).not.toBe(charges[1]!.pid);
    expect([...crashed.effects.values()].filter((w) => w === 'charge')).toHaveLength(1);
  });
});
