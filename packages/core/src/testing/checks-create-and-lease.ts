import {
  T0,
  LEASE,
  id,
  newRun,
  expectEqual,
  expectThat,
  claimed,
  type RunStoreCheck,
} from './check-support.js';

/** Run store checks: create and lease. */
export const createAndLeaseChecks: RunStoreCheck[] = [
  {
    name: 'create commits a run, and a second create with the same idempotency key creates nothing',
    async run(store) {
      const c = this.name;
      const runId = id('create');
      const key = id('key');
      expectEqual(c, 'first create', await store.create(newRun(runId, { idempotencyKey: key })), {
        runId,
        created: true,
      });
      const again = await store.create(newRun(id('create-again'), { idempotencyKey: key }));
      expectEqual(c, 'second create with the same key', again, { runId, created: false });
      const loaded = await store.load(runId);
      expectEqual(
        c,
        'loaded status and context',
        [loaded?.run.status, loaded?.run.context],
        ['running', '{"n":0}'],
      );
      expectEqual(
        c,
        'steps and signals of a new run',
        [loaded?.steps.length, loaded?.signals.length],
        [0, 0],
      );
      expectEqual(c, 'load of an unknown run', await store.load(id('unknown')), undefined);
    },
  },
  {
    name: 'a claim raises the fence; a live lease keeps others out; an expired one is taken over',
    async run(store) {
      const c = this.name;
      const runId = id('claim');
      await store.create(newRun(runId));
      const first = await claimed(store, c, runId, 'a', T0);
      expectEqual(
        c,
        'claim by b while a holds a live lease',
        await store.claim(runId, 'b', LEASE, T0 + 1),
        undefined,
      );
      const second = await claimed(store, c, runId, 'b', T0 + LEASE + 1);
      expectThat(c, 'the takeover must raise the fence', second.lease.fence > first.lease.fence);
      expectEqual(
        c,
        'renew by the owner who lost the lease',
        await store.renew('a', [{ runId, fence: first.lease.fence }], LEASE, T0 + LEASE + 2),
        [],
      );
      expectEqual(
        c,
        'renew by the owner',
        await store.renew('b', [{ runId, fence: second.lease.fence }], LEASE, T0 + LEASE + 2),
        [runId],
      );
    },
  },
  {
    name: 'commits are fenced: a write under a lost lease changes nothing',
    async run(store) {
      const c = this.name;
      const runId = id('fence');
      await store.create(newRun(runId));
      const a = await claimed(store, c, runId, 'a', T0);
      const write = (n: number) => ({
        steps: [{ key: `s${n}`, data: `{"n":${n}}` }],
        context: `{"n":${n}}`,
        now: T0 + n,
      });
      expectEqual(c, 'commit by the owner', (await store.commit(runId, a.lease, write(1))).ok, true);
      const b = await claimed(store, c, runId, 'b', T0 + LEASE + 5);
      expectEqual(c, 'commit by the old owner', (await store.commit(runId, a.lease, write(2))).ok, false);
      expectEqual(c, 'commit by the new owner', (await store.commit(runId, b.lease, write(3))).ok, true);
      const loaded = await store.load(runId);
      expectEqual(
        c,
        'committed steps, in commit order',
        loaded?.steps.map((s) => s.key),
        ['s1', 's3'],
      );
      expectEqual(c, 'context', loaded?.run.context, '{"n":3}');
      const seqs = loaded!.steps.map((s) => s.seq);
      expectThat(c, `seq must grow with each commit, got ${JSON.stringify(seqs)}`, seqs[0]! < seqs[1]!);
    },
  },
  {
    name: 'an entry committed again under its key replaces the earlier one',
    async run(store) {
      const c = this.name;
      const runId = id('replace');
      await store.create(newRun(runId));
      const { lease } = await claimed(store, c, runId, 'a', T0);
      await store.commit(runId, lease, { steps: [{ key: 'x', data: '"completed"' }], now: T0 + 1 });
      await store.commit(runId, lease, {
        steps: [{ key: 'y', data: '"completed"', frame: 'sub/', context: '{"s":1}' }],
        now: T0 + 2,
      });
      await store.commit(runId, lease, { steps: [{ key: 'x', data: '"compensated"' }], now: T0 + 3 });
      const steps = (await store.load(runId))!.steps;
      expectEqual(
        c,
        'entries',
        steps.map((s) => [s.key, s.data]),
        [
          ['y', '"completed"'],
          ['x', '"compensated"'],
        ],
      );
      expectEqual(
        c,
        'a sub-run entry keeps its frame and context',
        [steps[0]!.frame, steps[0]!.context],
        ['sub/', '{"s":1}'],
      );
    },
  },
];
