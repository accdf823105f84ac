import { T0, LEASE, id, newRun, expectEqual, claimed, type RunStoreCheck } from './check-support.js';

/** Run store checks: waits and signals. */
export const waitsAndSignalsChecks: RunStoreCheck[] = [
  {
    name: 'a suspended run holds no lease; it is due when its signal or its time comes, and a signal is consumed once',
    async run(store) {
      const c = this.name;
      const runId = id('wait');
      await store.create(newRun(runId));
      const { lease } = await claimed(store, c, runId, 'a', T0);
      const wait = { kind: 'signal' as const, signal: 'approved', step: 'approval', timeoutAt: T0 + 60_000 };
      const suspended = await store.commit(runId, lease, { status: 'waiting', wait, now: T0 + 1 });
      expectEqual(c, 'suspend', [suspended.ok, suspended.wakeNow ?? false], [true, false]);
      const run = (await store.load(runId))!.run;
      expectEqual(
        c,
        'a waiting run',
        [run.status, run.owner, run.wait?.kind],
        ['waiting', undefined, 'signal'],
      );
      expectEqual(
        c,
        'due before its signal',
        (await store.listDue(T0 + 2, { limit: 100 })).includes(runId),
        false,
      );
      expectEqual(
        c,
        'signal',
        await store.appendSignal(runId, { name: 'approved', payload: '{"by":"ops"}' }, T0 + 3),
        'appended',
      );
      expectEqual(
        c,
        'due once signalled',
        (await store.listDue(T0 + 4, { limit: 100 })).includes(runId),
        true,
      );
      const resumed = await claimed(store, c, runId, 'b', T0 + 5);
      expectEqual(c, 'a claimed waiting run is running', resumed.loaded.run.status, 'running');
      const signal = resumed.loaded.signals[0]!;
      expectEqual(
        c,
        'the signal as sent',
        [signal.name, signal.payload, signal.consumedBy],
        ['approved', '{"by":"ops"}', undefined],
      );
      const by = { id: signal.id, by: 'approval' };
      expectEqual(
        c,
        'consume',
        (await store.commit(runId, resumed.lease, { consumeSignal: by, now: T0 + 6 })).ok,
        true,
      );
      expectEqual(
        c,
        'consume again',
        (await store.commit(runId, resumed.lease, { consumeSignal: by, now: T0 + 7 })).ok,
        false,
      );
      const sleep = { kind: 'sleep' as const, step: 'cool_off', until: T0 + 1_000 };
      await store.commit(runId, resumed.lease, { status: 'waiting', wait: sleep, now: T0 + 8 });
      expectEqual(
        c,
        'due before its time',
        (await store.listDue(T0 + 999, { limit: 100 })).includes(runId),
        false,
      );
      expectEqual(
        c,
        'due at its time',
        (await store.listDue(T0 + 1_000, { limit: 100 })).includes(runId),
        true,
      );
    },
  },
  {
    name: 'suspending says to wake at once when the signal is already there',
    async run(store) {
      const c = this.name;
      const runId = id('early-signal');
      await store.create(newRun(runId));
      const { lease } = await claimed(store, c, runId, 'a', T0);
      await store.appendSignal(runId, { name: 'go', payload: 'null' }, T0 + 1);
      const wait = { kind: 'signal' as const, signal: 'go', step: 'w' };
      expectEqual(
        c,
        'wakeNow',
        (await store.commit(runId, lease, { status: 'waiting', wait, now: T0 + 2 })).wakeNow,
        true,
      );
    },
  },
  {
    name: 'signals: unknown run, ended run, and a repeated dedupe key',
    async run(store) {
      const c = this.name;
      expectEqual(
        c,
        'unknown run',
        await store.appendSignal(id('none'), { name: 'x', payload: '1' }, T0),
        'not-found',
      );
      const runId = id('signals');
      await store.create(newRun(runId));
      const s = { name: 'paid', payload: '{}', dedupeKey: 'webhook-1' };
      expectEqual(c, 'first', await store.appendSignal(runId, s, T0), 'appended');
      expectEqual(c, 'repeated dedupe key', await store.appendSignal(runId, s, T0 + 1), 'duplicate');
      expectEqual(c, 'signals kept', (await store.load(runId))!.signals.length, 1);
      const { lease } = await claimed(store, c, runId, 'a', T0 + 2);
      await store.commit(runId, lease, { status: 'completed', now: T0 + 3 });
      expectEqual(
        c,
        'ended run',
        await store.appendSignal(runId, { name: 'x', payload: '1' }, T0 + 4),
        'finished',
      );
    },
  },
  {
    name: 'an ended run takes no claim, commit, cancellation or signal',
    async run(store) {
      const c = this.name;
      const runId = id('ended');
      await store.create(newRun(runId));
      const { lease } = await claimed(store, c, runId, 'a', T0);
      const error = { name: 'Declined', code: 'DECLINED', message: 'no', step: 'charge' };
      expectEqual(
        c,
        'fail the run',
        (await store.commit(runId, lease, { status: 'failed', error, now: T0 + 1 })).ok,
        true,
      );
      const run = (await store.load(runId))!.run;
      expectEqual(c, 'ended run', [run.status, run.error, run.owner], ['failed', error, undefined]);
      expectEqual(c, 'claim', await store.claim(runId, 'b', LEASE, T0 + LEASE * 2), undefined);
      expectEqual(c, 'commit', (await store.commit(runId, lease, { context: '{}', now: T0 + 2 })).ok, false);
      expectEqual(c, 'cancel', await store.requestCancel(runId, 'late', T0 + 3), 'finished');
    },
  },
  {
    name: 'a cancellation request reaches the owner at its next commit, and makes a waiting run due',
    async run(store) {
      const c = this.name;
      expectEqual(c, 'unknown run', await store.requestCancel(id('none'), 'x', T0), 'not-found');
      const runId = id('cancel');
      await store.create(newRun(runId));
      const { lease } = await claimed(store, c, runId, 'a', T0);
      expectEqual(c, 'request', await store.requestCancel(runId, 'customer asked', T0 + 1), 'requested');
      const result = await store.commit(runId, lease, { steps: [{ key: 's', data: '{}' }], now: T0 + 2 });
      expectEqual(c, 'commit result', [result.ok, result.cancelRequested], [true, 'customer asked']);
      const waiting = id('cancel-waiting');
      await store.create(newRun(waiting));
      const w = await claimed(store, c, waiting, 'a', T0);
      await store.commit(waiting, w.lease, {
        status: 'waiting',
        wait: { kind: 'sleep', step: 's', until: T0 + 1e9 },
        now: T0 + 1,
      });
      await store.requestCancel(waiting, 'stop', T0 + 2);
      expectEqual(
        c,
        'a waiting run to cancel is due',
        (await store.listDue(T0 + 3, { limit: 100 })).includes(waiting),
        true,
      );
    },
  },
];
