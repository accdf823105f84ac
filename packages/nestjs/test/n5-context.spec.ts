import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import request from 'supertest';
import { OrkaContext, OrkaContextUnavailableError, PipelineRunner } from '../src/index.js';
import {
  AuditService,
  ContextModule,
  DetachedPipeline,
  ForkPipeline,
  PredicatePipeline,
  predicateSaw,
  ImplicitlyScopedPipeline,
  OuterPipeline,
  Reader,
  ScopedPipeline,
  UntrackedPipeline,
  untrackedModule,
  type Sighting,
} from './fixtures/n5-context.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';

/** The error `fn` throws; fails the test when it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

const members: [string, (c: OrkaContext) => unknown][] = [
  ['current()', (c) => c.current()],
  ['runId', (c) => c.runId],
  ['pipeline', (c) => c.pipeline],
  ['step', (c) => c.step],
  ['request', (c) => c.request],
];

/** What every place of one outer run must have seen, given its tag, run ids and whether it ran in HTTP. */
function expectedSightings(tag: string, runId: string, subRunId: string, requestTag: string): Sighting[] {
  const outer = { runId, pipeline: 'outer', currentTag: tag, requestTag };
  const inner = { runId: subRunId, pipeline: 'inner', currentTag: `${tag}/inner`, requestTag };
  return [
    { where: 'step', step: 'look', currentIsStepContext: true, ...outer },
    { where: 'service', step: 'look', ...outer },
    { where: 'step after await', step: 'look', currentIsStepContext: true, ...outer },
    { where: 'inner step', step: 'inner_probe', currentIsStepContext: true, ...inner },
    { where: 'inner service', step: 'inner_probe', ...inner },
    { where: 'after sub-run', step: 'hand_off', currentIsStepContext: true, ...outer },
  ];
}

// First in the file: no application of this file has turned tracking on yet.
describe('N5 context tracking switched off', () => {
  it('N5 forRoot({ context: false }) makes OrkaContext say that tracking is off, even inside a run', async () => {
    const app = await startApp('express', [untrackedModule(false)]);
    try {
      const orka = app.get(ModuleRef).get(OrkaContext, { strict: false });
      app.get(Reader).read = () => orka.runId;
      const err = await app
        .get(PipelineRunner)
        .run(UntrackedPipeline, {})
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(OrkaContextUnavailableError);
      expect((err as Error).message).toMatch(/tracking is off/);
      expect((err as Error).message).toContain('OrkaContext.runId');
    } finally {
      await app.close();
    }
  });
});

describe.each(platforms)('N5 OrkaContext over HTTP on %s', (platform) => {
  let app: INestApplication;
  let outerBefore: number;
  let auditBefore: number;

  beforeAll(async () => {
    outerBefore = OuterPipeline.constructed;
    auditBefore = AuditService.constructed;
    app = await startApp(platform, [ContextModule]);
  });
  afterAll(() => app.close());

  it(`N5 [${platform}] steps, the singleton services they call and sub-runs read their own run, and the request`, async () => {
    const res = await request(app.getHttpServer()).get('/probe').set('x-tag', 'solo');
    expect(res.status).toBe(200);
    const { runId, subRunId, sightings, afterRun } = res.body as {
      runId: string;
      subRunId: string;
      sightings: Sighting[];
      afterRun: string;
    };
    expect(typeof runId).toBe('string');
    expect(typeof subRunId).toBe('string');
    expect(subRunId).not.toBe(runId);
    expect(sightings).toEqual(expectedSightings('solo', runId, subRunId, 'solo'));
    // Back in the controller, the run is over: OrkaContext throws even though the request goes on.
    expect(afterRun).toBe('OrkaContextUnavailableError');
  });

  it(`N5 [${platform}] 250 concurrent requests each see only their own run, context and request`, async () => {
    const server = app.getHttpServer();
    const tags = Array.from({ length: 250 }, (_, i) => `req-${i}-${Math.random().toString(36).slice(2)}`);
    const responses = await Promise.all(tags.map((tag) => request(server).get('/probe').set('x-tag', tag)));
    responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      const body = res.body as { tag: string; runId: string; subRunId: string; sightings: Sighting[] };
      expect(body.tag).toBe(tags[i]);
      expect(body.sightings).toEqual(expectedSightings(tags[i]!, body.runId, body.subRunId, tags[i]!));
    });
    const runIds = responses.flatMap((r) => [r.body.runId as string, r.body.subRunId as string]);
    expect(new Set(runIds).size).toBe(500);
  });

  it(`N5 [${platform}] a request-scoped pipeline gets a fresh instance per request, resolved for that request`, async () => {
    const server = app.getHttpServer();
    const before = ScopedPipeline.constructed;
    const tags = Array.from({ length: 30 }, (_, i) => `scoped-${i}`);
    const responses = await Promise.all(
      tags.map((tag) => request(server).get('/probe/scoped').set('x-tag', tag)),
    );
    const serials = responses.map((res, i) => {
      expect(res.status).toBe(200);
      // The instance saw its own request, and both steps of one run used the same instance.
      expect(res.body.requestTag).toBe(tags[i]);
      const [one, two] = res.body.serials as number[];
      expect(two).toBe(one);
      return one;
    });
    expect(new Set(serials).size).toBe(30);
    expect(ScopedPipeline.constructed - before).toBe(30);
  });

  it(`N5 [${platform}] a pipeline that depends on REQUEST is request-scoped too`, async () => {
    const server = app.getHttpServer();
    const before = ImplicitlyScopedPipeline.constructed;
    const tags = Array.from({ length: 10 }, (_, i) => `implicit-${i}`);
    const responses = await Promise.all(
      tags.map((tag) => request(server).get('/probe/implicit').set('x-tag', tag)),
    );
    responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.body.requestTag).toBe(tags[i]);
    });
    expect(new Set(responses.map((r) => r.body.serial)).size).toBe(10);
    expect(ImplicitlyScopedPipeline.constructed - before).toBe(10);
  });

  it(`N5 [${platform}] singleton pipelines and services are constructed once, however many runs`, async () => {
    const server = app.getHttpServer();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => request(server).get('/probe').set('x-tag', `s${i}`)),
    );
    expect(OuterPipeline.constructed - outerBefore).toBe(1);
    expect(AuditService.constructed - auditBefore).toBe(1);
    expect(app.get(OuterPipeline)).toBe(app.get(OuterPipeline));
  });
});

describe('N5 OrkaContext outside HTTP and outside runs', () => {
  let app: INestApplication;
  let runner: PipelineRunner;

  beforeAll(async () => {
    app = await startApp('express', [ContextModule]);
    runner = app.get(PipelineRunner);
  });
  afterAll(() => app.close());

  it('N5 a run started outside HTTP has request undefined; everything else works, sub-runs included', async () => {
    const result = await runner.run(OuterPipeline, { tag: 'cli' });
    const subRunId = result.context.subRunId!;
    expect(result.context.sightings).toEqual(expectedSightings('cli', result.runId, subRunId, 'no request'));
  });

  it('N5 OrkaContext works in an @OnFinish finisher too, while the run is still in progress', async () => {
    const result = await runner.run(OuterPipeline, { tag: 'finish' });
    expect(result.context.finisherSaw).toEqual({
      runId: result.runId,
      pipeline: 'outer',
      currentTag: 'finish',
      requestTag: 'no request',
    });
  });

  it('N5 concurrent runs outside HTTP see their own context and runId', async () => {
    const tags = Array.from({ length: 100 }, (_, i) => `job-${i}`);
    const results = await Promise.all(tags.map((tag) => runner.run(OuterPipeline, { tag })));
    results.forEach((r, i) => {
      expect(r.context.sightings).toEqual(
        expectedSightings(tags[i]!, r.runId, r.context.subRunId!, 'no request'),
      );
    });
  });

  it('N5 every OrkaContext member throws OrkaContextUnavailableError outside a run, naming the member', async () => {
    const orka = app.get(OrkaContext);
    const check = () => {
      for (const [name, read] of members) {
        const err = thrownBy(() => read(orka));
        expect(err).toBeInstanceOf(OrkaContextUnavailableError);
        expect((err as Error).message).toContain(`OrkaContext.${name}`);
        expect((err as Error).message).toMatch(/outside a pipeline run/);
      }
    };
    check();
    // Also once a run has come and gone in this async flow.
    await runner.run(OuterPipeline, { tag: 'gone' });
    check();
  });

  it('N5 concurrent steps each read their own step, across awaits that interleave them', async () => {
    const result = await runner.run(ForkPipeline, {});
    expect(result.context.saw).toEqual({
      start: 'start',
      leftBefore: 'left',
      rightBefore: 'right',
      right: 'right',
      left: 'left',
      join: 'join',
    });
  });

  it('N5 a @When predicate reads the run from OrkaContext: predicates run inside the run too', async () => {
    predicateSaw.value = undefined;
    await runner.run(PredicatePipeline, {});
    expect(predicateSaw.value).toBe('predicate/route');
  });

  it('N5 in a run whose steps run one at a time, work a step leaves running reads the step the run is at', async () => {
    const result = await runner.run(DetachedPipeline, {});
    expect(result.context.detachedSaw).toBe('next');
  });

  it('N5 a request-scoped pipeline run outside HTTP gets a fresh instance per run and no request', async () => {
    const before = ScopedPipeline.constructed;
    const a = await runner.run(ScopedPipeline, {});
    const b = await runner.run(ScopedPipeline, {});
    expect(a.context.requestTag).toBe('no request');
    const [a1, a2] = a.context.serials!;
    const [b1, b2] = b.context.serials!;
    expect(a2).toBe(a1);
    expect(b2).toBe(b1);
    expect(b1).not.toBe(a1);
    expect(ScopedPipeline.constructed - before).toBe(2);
  });
});

// Last in the file: applications above turned tracking on in this process.
describe('N5 context tracking switched off beside an application that has it on', () => {
  it('N5 forRoot({ context: false }) still says that tracking is off after another application turned it on', async () => {
    const tracked = await startApp('express', [ContextModule]);
    const untracked = await startApp('express', [untrackedModule(false)]);
    try {
      await tracked.get(PipelineRunner).run(OuterPipeline, { tag: 'on' });
      const orka = untracked.get(ModuleRef).get(OrkaContext, { strict: false });
      untracked.get(Reader).read = () => orka.step;
      const err = await untracked
        .get(PipelineRunner)
        .run(UntrackedPipeline, {})
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(OrkaContextUnavailableError);
      expect((err as Error).message).toMatch(/tracking is off/);
    } finally {
      await untracked.close();
      await tracked.close();
    }
  });
});
