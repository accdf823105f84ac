import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, TraceCollector, addObserver } from '../src/index.js';
import type { Ev } from './helpers.js';
import { recorder, sleep, trail } from './helpers.js';

interface Ctx {
  log: string[];
  kind?: 'a' | 'b';
  email?: string;
}

function shop(): Pipeline<Ctx> {
  const p = new Pipeline<Ctx>('shop', ['load', 'mail', 'route', 'save']);
  p.onStep('load', async () => {
    await sleep(2);
  });
  p.onStep('mail', () => {}).skipIf('mail', (ctx) => !ctx.email, 'no email');
  p.conditionalStep('route')
    .ifCondition((ctx) => ctx.kind === 'a')
    .runHandler(() => {})
    .ifCondition((ctx) => ctx.kind === 'b')
    .runHandler(() => {})
    .finalize();
  p.onStep('save', () => {});
  return p;
}

function subbed(): { parent: Pipeline<Ctx>; child: Pipeline<Ctx> } {
  const child = new Pipeline<Ctx>('child', ['c1', 'c2']);
  child.onStep('c1', () => {});
  child.onStep('c2', () => {}).skipIf('c2', () => true, 'child skip');
  const parent = new Pipeline<Ctx>('parent', ['p1', 'p2']);
  parent.onStep('p1', () => {});
  parent
    .conditionalStep('p2')
    .ifCondition(() => true)
    .runSubPipeline(child)
    .finalize();
  return { parent, child };
}

describe('K13 run events', () => {
  it('K13 a run emits run.started first and run.finished last, with outcome and duration', async () => {
    const rec = recorder();

    const result = await shop().run({ log: [], kind: 'b', email: 'x@y' }, { observer: rec.observer });

    expect(rec.events[0]).toMatchObject({ type: 'run.started', runId: result.runId, pipeline: 'shop' });
    const last = rec.events[rec.events.length - 1]!;
    expect(last).toMatchObject({
      type: 'run.finished',
      runId: result.runId,
      pipeline: 'shop',
      outcome: 'completed',
    });
    expect(typeof last.durationMs).toBe('number');
    expect(last.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(last.error).toBeUndefined();
  });

  it('K13 steps emit started/completed (with durationMs), skipped (with reason), and branch.matched (with the index) in order', async () => {
    const rec = recorder();

    await shop().run({ log: [], kind: 'b' }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual([
      'run.started',
      'step.started:load',
      'step.completed:load',
      'step.skipped:mail',
      'step.started:route',
      'branch.matched:route',
      'step.completed:route',
      'step.started:save',
      'step.completed:save',
      'run.finished',
    ]);
    expect(rec.events.find((e) => e.type === 'step.skipped')).toMatchObject({
      step: 'mail',
      reason: 'no email',
    });
    expect(rec.events.find((e) => e.type === 'branch.matched')).toMatchObject({ step: 'route', branch: 1 });
    for (const e of rec.events.filter((x) => x.type === 'step.completed')) {
      expect(typeof e.durationMs).toBe('number');
    }
  });

  it('K13 a conditional step without a match emits branch.none', async () => {
    const rec = recorder();

    await shop().run({ log: [], email: 'x@y' }, { observer: rec.observer });

    expect(trail(rec.events)).toContain('branch.none:route');
    expect(trail(rec.events)).not.toContain('branch.matched:route');
  });

  it('K13 every event carries type, runId, pipeline and at (epoch ms from Date.now())', async () => {
    const rec = recorder();
    const before = Date.now();

    await shop().run({ log: [], kind: 'a' }, { observer: rec.observer, runId: 'evt-1' });
    const after = Date.now();

    expect(rec.events.length).toBeGreaterThan(0);
    for (const e of rec.events) {
      expect(typeof e.type).toBe('string');
      expect(e.runId).toBe('evt-1');
      expect(e.pipeline).toBe('shop');
      expect(typeof e.at).toBe('number');
      expect(e.at).toBeGreaterThanOrEqual(before);
      expect(e.at).toBeLessThanOrEqual(after);
      if (e.type.startsWith('step.') || e.type.startsWith('branch.')) expect(typeof e.step).toBe('string');
    }
    const ats = rec.events.map((e) => e.at);
    expect([...ats].sort((x, y) => x - y)).toEqual(ats);
  });

  it('K13 the events of a run tree never go back in time, skipped steps and sub-runs included', async () => {
    // A skipped step's event comes between two step boundaries; its predicate here spins for 1 ms, so
    // that a millisecond boundary falls inside it every time. An event stamped from an earlier clock
    // reading than the event before it would then show as an \`at\` going back.
    const spin = (): boolean => {
      const until = performance.now() + 1;
      while (performance.now() < until);
      return true;
    };
    const { parent } = subbed();
    const quick = new Pipeline<Ctx>('quick', ['a', 'b', 'c']);
    quick.onStep('a', async () => {});
    quick.onStep('b', () => {}).skipIf('b', spin, 'skipped');
    quick.onStep('c', async () => {});
    let backwards = 0;
    for (let i = 0; i < 40; i++) {
      const rec = recorder();
      await (i % 4 === 0 ? parent : quick).run({ log: [] }, { observer: rec.observer });
      for (let k = 1; k < rec.events.length; k++) if (rec.events[k]!.at < rec.events[k - 1]!.at) backwards++;
    }
    expect(backwards).toBe(0);
  });

  it('K13 a step that stops emits step.stopped; the run.finished outcome is stopped', async () => {
    const p = new Pipeline<Ctx>('stopper', ['a', 'b']);
    p.onStep('a', () => Stop);
    p.onStep('b', () => {});
    const rec = recorder();

    await p.run({ log: [] }, { observer: rec.observer });

    expect(trail(rec.events)).toEqual(['run.started', 'step.started:a', 'step.stopped:a', 'run.finished']);
    expect(rec.events[3]).toMatchObject({ outcome: 'stopped' });
  });

  it('K13 global observers get the events of every run; the unsubscribe function detaches them', async () => {
    const global1 = recorder();
    const global2 = recorder();
    const off1 = addObserver(global1.observer);
    const off2 = addObserver(global2.observer);
    const perRun = recorder();
    try {
      const p = new Pipeline<Ctx>('g1', ['a']);
      p.onStep('a', () => {});
      const q = new Pipeline<Ctx>('g2', ['b']);
      q.onStep('b', () => {});

      const r1 = await p.run({ log: [] }, { observer: perRun.observer });
      off1();
      const r2 = await q.run({ log: [] });

      expect(trail(global1.events)).toEqual([
        'run.started',
        'step.started:a',
        'step.completed:a',
        'run.finished',
      ]);
      expect(global1.events.every((e) => e.runId === r1.runId)).toBe(true);
      expect(global2.events.map((e) => e.runId)).toEqual([
        ...Array(4).fill(r1.runId),
        ...Array(4).fill(r2.runId),
      ]);
      expect(perRun.events).toEqual(global2.events.slice(0, 4));
    } finally {
      off1();
      off2();
    }
  });

  it("K13 sub-run events reach the parent's observer and global observers, linked by parentRunId", async () => {
    const { parent } = subbed();
    const perRun = recorder();
    const glob = recorder();
    const off = addObserver(glob.observer);
    try {
      await parent.run({ log: [] }, { runId: 'PR', observer: perRun.observer });
    } finally {
      off();
    }

    for (const rec of [perRun, glob]) {
      const childEvents = rec.events.filter((e) => e.pipeline === 'child');
      expect(childEvents.map((e) => e.type)).toEqual([
        'run.started',
        'step.started',
        'step.completed',
        'step.skipped',
        'run.finished',
      ]);
      expect(new Set(childEvents.map((e) => e.runId)).size).toBe(1);
      expect(childEvents[0]!.runId).not.toBe('PR');
      expect(childEvents.every((e) => e.parentRunId === 'PR')).toBe(true);
    }
    expect(glob.events).toEqual(perRun.events);
  });
});

describe('K13 TraceCollector', () => {
  it('K13 TraceCollector records the events of a run passed collector.observer', async () => {
    const collector = new TraceCollector();
    const rec = recorder();
    await shop().run(
      { log: [], kind: 'a' },
      {
        observer: (e) => {
          collector.observer(e);
          rec.observer(e);
        },
      },
    );

    expect((collector.events as unknown as Ev[]).map((e) => e.type)).toEqual(rec.events.map((e) => e.type));
    expect(collector.events.length).toBe(10);
  });

  it('K13 stepsCompleted, stepsSkipped and branches report in event order', async () => {
    const collector = new TraceCollector();

    await shop().run({ log: [], kind: 'a' }, { observer: collector.observer });

    expect(collector.stepsCompleted()).toEqual(['load', 'route', 'save']);
    expect(collector.stepsSkipped()).toEqual(['mail']);
    expect(collector.branches()).toEqual([{ step: 'route', branch: 0 }]);
  });

  it('K13 without a runId the queries span every run; with a runId they filter to that run', async () => {
    const collector = new TraceCollector();
    const { parent } = subbed();

    const result = await parent.run({ log: [] }, { observer: collector.observer });
    const childRunId = (collector.events as unknown as Ev[]).find((e) => e.pipeline === 'child')!.runId;

    expect(collector.stepsCompleted()).toEqual(['p1', 'c1', 'p2']);
    expect(collector.stepsCompleted(result.runId)).toEqual(['p1', 'p2']);
    expect(collector.stepsCompleted(childRunId)).toEqual(['c1']);
    expect(collector.stepsSkipped()).toEqual(['c2']);
    expect(collector.stepsSkipped(result.runId)).toEqual([]);
    expect(collector.stepsSkipped(childRunId)).toEqual(['c2']);
    expect(collector.branches(result.runId)).toEqual([{ step: 'p2', branch: 0 }]);
    expect(collector.branches(childRunId)).toEqual([]);
  });

  it('K13 a collector spans several runs and clear() empties it', async () => {
    const collector = new TraceCollector();
    const p = shop();

    const r1 = await p.run({ log: [], kind: 'a' }, { observer: collector.observer });
    const r2 = await p.run({ log: [], kind: 'b', email: 'e@x' }, { observer: collector.observer });

    expect(collector.stepsCompleted()).toEqual(['load', 'route', 'save', 'load', 'mail', 'route', 'save']);
    expect(collector.branches()).toEqual([
      { step: 'route', branch: 0 },
      { step: 'route', branch: 1 },
    ]);
    expect(collector.branches(r2.runId)).toEqual([{ step: 'route', branch: 1 }]);
    expect(collector.stepsCompleted(r1.runId)).toEqual(['load', 'route', 'save']);

    collector.clear();

    expect(collector.events).toHaveLength(0);
    expect(collector.stepsCompleted()).toEqual([]);
  });

  it('K13 stop() stops the recording of a collector used as a per-run observer', async () => {
    const collector = new TraceCollector();
    const p = shop();
    await p.run({ log: [], kind: 'a' }, { observer: collector.observer });
    const count = collector.events.length;

    collector.stop();
    await p.run({ log: [], kind: 'a' }, { observer: collector.observer });

    expect(collector.events.length).toBe(count);
  });

  it('K13 TraceCollector.global() records every run until stop() detaches it', async () => {
    const collector = TraceCollector.global();
    const p = shop();
    let r1Id = '';
    try {
      const r1 = await p.run({ log: [], kind: 'a' });
      r1Id = r1.runId;
      expect(collector.stepsCompleted(r1.runId)).toEqual(['load', 'route', 'save']);
    } finally {
      collector.stop();
    }
    const before = collector.events.length;

    await p.run({ log: [], kind: 'a' });

    expect(collector.events.length).toBe(before);
    expect(new Set((collector.events as unknown as Ev[]).map((e) => e.runId))).toEqual(new Set([r1Id]));
  });
});
