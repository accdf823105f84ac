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

/** Run store checks: listing. */
export const listingChecks: RunStoreCheck[] = [
  {
    name: 'due runs: running ones without a live lease, only of the given definition hashes, at most the limit',
    async run(store) {
      const c = this.name;
      const free = id('free');
      const held = id('held');
      const other = id('other-hash');
      await store.create(newRun(free));
      await store.create(newRun(held, { owner: 'a', leaseMs: LEASE }));
      await store.create(newRun(other, { definitionHash: 'h2' }));
      const due = await store.listDue(T0 + 1, { limit: 1_000, definitionHashes: ['h1'] });
      expectEqual(
        c,
        'due at +1 ms',
        [free, held, other].map((r) => due.includes(r)),
        [true, false, false],
      );
      const later = await store.listDue(T0 + LEASE + 1, { limit: 1_000, definitionHashes: ['h1'] });
      expectEqual(c, 'due after the lease expired', later.includes(held), true);
      expectEqual(c, 'limit', (await store.listDue(T0 + LEASE + 1, { limit: 1 })).length, 1);
    },
  },
  {
    name: 'list pages through runs newest first with a cursor, and filters by pipeline and status',
    async run(store) {
      const c = this.name;
      const pipeline = id('paged');
      const made: string[] = [];
      for (let i = 0; i < 7; i++) {
        const runId = id(`page${i}`);
        made.push(runId);
        await store.create(newRun(runId, { pipeline, now: T0 + i }));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await store.list({ pipeline, limit: 3, cursor });
        seen.push(...result.runs.map((r) => r.runId));
        cursor = result.cursor;
        if (cursor === undefined) break;
      }
      expectEqual(c, 'every run once, newest first', seen, [...made].reverse());
      const { lease } = await claimed(store, c, made[0]!, 'a', T0 + 10);
      await store.commit(made[0]!, lease, { status: 'completed', now: T0 + 11 });
      const completed = await store.list({ pipeline, status: 'completed' });
      expectEqual(
        c,
        'filtered by status',
        completed.runs.map((r) => r.runId),
        [made[0]],
      );
    },
  },
  {
    name: 'prune deletes ended runs older than the date, and nothing else',
    async run(store) {
      const c = this.name;
      const old = id('old');
      const live = id('live');
      const key = id('pruned-key');
      await store.create(newRun(old, { idempotencyKey: key }));
      await store.create(newRun(live));
      const { lease } = await claimed(store, c, old, 'a', T0);
      await store.commit(old, lease, { status: 'completed', now: T0 + 1 });
      expectThat(c, 'prune must delete the ended run', (await store.prune(T0 + 2)) >= 1);
      expectEqual(c, 'the ended run', await store.load(old), undefined);
      expectEqual(c, 'the running run', (await store.load(live))?.run.status, 'running');
      const again = await store.create(newRun(id('after-prune'), { idempotencyKey: key }));
      expectEqual(c, 'an idempotency key of a pruned run is free again', again.created, true);
    },
  },
];
