import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MemoryRunStore, type RunStore } from '@orka/core';
import { SqliteRunStore } from '@orka/core/sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  OrkaConfigurationError,
  OrkaModule,
  OrkaValidationError,
  PipelineRunner,
  RunFinishedError,
  RunNotFoundError,
} from '../src/index.js';
import { startApp as startOn } from './fixtures/n10-platforms.js';
import {
  ImpatientPipeline,
  NotDurableWaitsPipeline,
  RefundContext,
  RefundPipeline,
  waitsModule,
} from './fixtures/n11-waits.js';
import { rejectionOf } from './support/rejection.js';

const open: INestApplication[] = [];
async function startApp(store: RunStore, graceMs?: number): Promise<INestApplication> {
  const app = await startOn('express', [waitsModule(store, graceMs)]);
  open.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close().catch(() => undefined)));
});

/** Resolves once the run is waiting. */
async function waiting(runner: PipelineRunner, runId: string): Promise<void> {
  while ((await runner.get(runId))?.status !== 'waiting') await new Promise((r) => setTimeout(r, 5));
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
/** The stores the plugin's waits are pinned on: in memory, and an SQLite file where node:sqlite exists. */
const stores: [string, () => () => RunStore][] = [
  [
    'MemoryRunStore',
    () => {
      const store = new MemoryRunStore();
      return () => store;
    },
  ],
  ...(major > 22 || (major === 22 && minor >= 13)
    ? ([
        [
          'SqliteRunStore',
          () => {
            const path = join(mkdtempSync(join(tmpdir(), 'orka-nest-waits-')), 'runs.db');
            return () => new SqliteRunStore({ path });
          },
        ],
      ] as [string, () => () => RunStore][])
    : []),
];

describe.each(stores)('N11 waits across a restart on %s', (_, makeStores) => {
  it('N11 W1 a run waiting at shutdown stays waiting; the @WaitFor method runs after the restart, and @Sleep after it', async () => {
    const storeOf = makeStores();
    const first = await startApp(storeOf());
    const { runId } = await first.get(PipelineRunner).start(RefundPipeline, { amount: 7, coolOffMs: 20 });
    await waiting(first.get(PipelineRunner), runId);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const second = await startApp(storeOf());
    const runner = second.get(PipelineRunner);
    expect((await runner.get(runId))!.status).toBe('waiting');
    await runner.signal(runId, 'approved', { approved: true, by: 'after restart' });
    const { context } = await runner.result<RefundContext>(runId);
    expect(context).toMatchObject({
      decision: 'approved by after restart',
      payloadWasDto: true,
      remindedAfterSleep: true,
    });
    expect(context).toBeInstanceOf(RefundContext);
  });
});

describe('N11 waits in NestJS: @WaitFor, @Sleep, runner.signal', () => {
  it('N11 W1 the @WaitFor method runs with the payload validated into its class; @Sleep runs its method when the time is up', async () => {
    const app = await startApp(new MemoryRunStore());
    const runner = app.get(PipelineRunner);
    const { runId } = await runner.start(RefundPipeline, { amount: 30, coolOffMs: 30 });
    await waiting(runner, runId);
    expect((await runner.get(runId))!.waiting).toEqual({
      step: 'approval',
      signal: 'approved',
      timeoutAt: expect.any(Number),
    });
    await runner.signal(runId, 'approved', { approved: true, by: 'ops' });
    const { context } = await runner.result<RefundContext>(runId);
    expect(context).toMatchObject({
      decision: 'approved by ops',
      payloadWasDto: true,
      stepAtApproval: 'approval',
      remindedAfterSleep: true,
      paid: true,
    });
  });

  it('N11 an invalid payload is refused with OrkaValidationError (400 over HTTP), and the run keeps waiting', async () => {
    const app = await startApp(new MemoryRunStore());
    const runner = app.get(PipelineRunner);
    const { runId } = await runner.start(RefundPipeline, { amount: 30 });
    await waiting(runner, runId);
    const refused = await rejectionOf(runner.signal(runId, 'approved', { approved: 'yes' }));
    expect(refused).toBeInstanceOf(OrkaValidationError);
    const answer = await request(app.getHttpServer())
      .post(`/refunds/${runId}/approval`)
      .send({ by: '', extra: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'ORKA_VALIDATION', pipeline: 'refund' });
    expect(answer.body.message).toEqual(
      expect.arrayContaining(['property extra should not exist', 'approved must be a boolean value']),
    );
    expect((await runner.get(runId))!.status).toBe('waiting');
    const ok = await request(app.getHttpServer())
      .post(`/refunds/${runId}/approval`)
      .send({ approved: false, by: 'ops' });
    expect(ok.status).toBe(201);
    expect((await runner.result<RefundContext>(runId)).context).toMatchObject({
      decision: 'rejected by ops',
      paid: false,
    });
  });

  it('N11 signals to an unknown run are 404 RUN_NOT_FOUND, to an ended one 409 RUN_FINISHED; a wait that times out is 504', async () => {
    const app = await startApp(new MemoryRunStore());
    const runner = app.get(PipelineRunner);
    expect(await rejectionOf(runner.signal('nope', 'approved', {}))).toBeInstanceOf(RunNotFoundError);
    const unknown = await request(app.getHttpServer())
      .post('/refunds/nope/approval')
      .send({ approved: true, by: 'x' });
    expect(unknown.status).toBe(404);
    const { runId } = await runner.start(RefundPipeline, { amount: 1 });
    await waiting(runner, runId);
    await runner.signal(runId, 'approved', { approved: true, by: 'ops' });
    await runner.result(runId);
    expect(await rejectionOf(runner.signal(runId, 'approved', { approved: true, by: 'ops' }))).toBeInstanceOf(
      RunFinishedError,
    );
    const late = await request(app.getHttpServer())
      .post(`/refunds/${runId}/approval`)
      .send({ approved: true, by: 'x' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ statusCode: 409, error: 'RUN_FINISHED', runId });
    const timedOut = await request(app.getHttpServer()).post('/refunds/impatient').send({});
    expect(timedOut.status).toBe(504);
    expect(timedOut.body).toMatchObject({
      statusCode: 504,
      error: 'SIGNAL_TIMEOUT',
      pipeline: 'impatient',
      step: 'approval',
    });
  });

  it('N11 a run waiting at shutdown stays waiting, and a signal after the restart finishes it', async () => {
    const store = new MemoryRunStore();
    const first = await startApp(store);
    const { runId } = await first.get(PipelineRunner).start(RefundPipeline, { amount: 7 });
    await waiting(first.get(PipelineRunner), runId);
    await first.close();
    open.splice(open.indexOf(first), 1);
    expect((await store.load(runId))!.run.status).toBe('waiting');
    const second = await startApp(store);
    const runner = second.get(PipelineRunner);
    await runner.signal(runId, 'approved', { approved: true, by: 'after restart' });
    expect((await runner.result<RefundContext>(runId)).context.decision).toBe('approved by after restart');
  });

  it('N11 W5 @WaitFor and @Sleep on a pipeline that is not durable, and @WaitFor without @Step, fail the bootstrap', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OrkaModule.forRoot()],
      providers: [NotDurableWaitsPipeline, ImpatientPipeline],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const failed = await rejectionOf(app.init());
    expect(failed).toBeInstanceOf(OrkaConfigurationError);
    const problems = (failed as OrkaConfigurationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NotDurableWaitsPipeline\.approve: @WaitFor makes a run wait.*durable: true/),
        expect.stringMatching(/^NotDurableWaitsPipeline\.nap: @Sleep makes a run wait/),
        expect.stringMatching(/^NotDurableWaitsPipeline\.stray: @WaitFor needs @Step/),
      ]),
    );
    await app.close().catch(() => undefined);
  });
});
