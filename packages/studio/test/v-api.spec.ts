import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { MemoryRunStore } from '@orka/core';
import { OrkaConfigurationError, PipelineRunner } from '@orka/nestjs';
import request from 'supertest';
import { OrkaStudioModule } from '../src/index.js';
import { TOKEN, TicketPipeline, studioApp } from './support/studio-app.js';

const open: INestApplication[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close().catch(() => undefined)));
});
async function start(...args: Parameters<typeof studioApp>) {
  const started = await studioApp(...args);
  open.push(started.app);
  return started;
}
const auth = { authorization: `Bearer ${TOKEN}` };
const action = { ...auth, 'x-orka-studio': '1', 'content-type': 'application/json' };

async function waiting(runner: PipelineRunner, runId: string) {
  while ((await runner.get(runId))?.status !== 'waiting') await new Promise((r) => setTimeout(r, 5));
}

describe('V5 the Studio is guarded', () => {
  it('V5 forRoot without a guard is refused unless allowUnauthenticated is said', () => {
    expect(() => OrkaStudioModule.forRoot({})).toThrow(OrkaConfigurationError);
    expect(() => OrkaStudioModule.forRoot({})).toThrow(/give it a guard/);
    expect(() => OrkaStudioModule.forRoot({ allowUnauthenticated: true })).not.toThrow();
  });

  it('V5 nothing answers without the guard yes: page, assets, API, events and actions are 403', async () => {
    const { app } = await start();
    const server = app.getHttpServer();
    const routes: [string, string][] = [
      ['get', '/orka'],
      ['get', '/orka/assets/studio.js'],
      ['get', '/orka/assets/studio.css'],
      ['get', '/orka/api/pipelines'],
      ['get', '/orka/api/runs'],
      ['get', '/orka/api/runs/x'],
      ['get', '/orka/api/events'],
      ['post', '/orka/api/runs/x/signal'],
      ['post', '/orka/api/runs/x/cancel'],
    ];
    for (const [method, path] of routes) {
      const res = await (method === 'get'
        ? request(server).get(path)
        : request(server).post(path).set('x-orka-studio', '1'));
      expect([path, res.status]).toEqual([path, 403]);
    }
    const page = await request(server).get('/orka').set(auth);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(page.text).not.toMatch(/<script>[^<]/);
  });
});

describe('V4 actions come from the Studio page only', () => {
  it('V4 a cross-site POST, or one without the Studio header, is refused; the same-origin one is taken', async () => {
    const { app } = await start();
    const runner = app.get(PipelineRunner);
    const { runId } = await runner.start(TicketPipeline, { title: 't' });
    await waiting(runner, runId);
    const server = app.getHttpServer();
    const crossSite = await request(server)
      .post(`/orka/api/runs/${runId}/cancel`)
      .set(action)
      .set('sec-fetch-site', 'cross-site');
    expect(crossSite.status).toBe(403);
    const otherOrigin = await request(server)
      .post(`/orka/api/runs/${runId}/cancel`)
      .set(action)
      .set('origin', 'https://evil.example');
    expect(otherOrigin.status).toBe(403);
    const noHeader = await request(server)
      .post(`/orka/api/runs/${runId}/cancel`)
      .set(auth)
      .set('content-type', 'text/plain')
      .send('{}');
    expect(noHeader.status).toBe(403);
    expect((await runner.get(runId))!.status).toBe('waiting');
    const invalid = await request(server)
      .post(`/orka/api/runs/${runId}/signal`)
      .set(action)
      .send({ signal: 'approved', payload: { by: 7 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toEqual(['by must be a string']);
    const signalled = await request(server)
      .post(`/orka/api/runs/${runId}/signal`)
      .set(action)
      .send({ signal: 'approved', payload: { by: 'ops' } });
    expect(signalled.status).toBe(202);
    expect((await runner.result<{ approvedBy: string }>(runId)).context.approvedBy).toBe('ops');
  });
});

describe('V1 V2 V6 what the API shows', () => {
  it('V1 the pipelines as describe() gives them, waits included', async () => {
    const { app } = await start();
    const res = await request(app.getHttpServer()).get('/orka/api/pipelines').set(auth);
    expect(res.body.map((p: { name: string }) => p.name).sort()).toEqual(['quote', 'ticket']);
    const ticket = res.body.find((p: { name: string }) => p.name === 'ticket');
    expect(ticket.description.steps[1].wait).toEqual({ signal: 'approved' });
  });

  it('V2 pages through 1,000 runs with the store cursor, newest first, each once', async () => {
    const store = new MemoryRunStore();
    const { app } = await start(store);
    const runner = app.get(PipelineRunner);
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i += 100)
      for (const { runId } of await Promise.all(
        Array.from({ length: 100 }, (_, j) => runner.start(TicketPipeline, { title: `t${i + j}` })),
      ))
        ids.add(runId);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(app.getHttpServer())
        .get('/orka/api/runs')
        .query({ pipeline: 'ticket', limit: '200', ...(cursor && { cursor }) })
        .set(auth);
      seen.push(...res.body.runs.map((r: { runId: string }) => r.runId));
      cursor = res.body.cursor;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen)).toEqual(ids);
  });

  it('V6 V2 in-memory runs come from the recent buffer; a durable run from before a restart comes from the store, its context redacted', async () => {
    const store = new MemoryRunStore();
    const first = await start(store);
    const runner = first.app.get(PipelineRunner);
    const { runId } = await runner.start(TicketPipeline, { title: 'before', note: 'secret-42' });
    await waiting(runner, runId);
    await first.app.close();
    open.splice(open.indexOf(first.app), 1);
    const redact = (ctx: unknown) => ({ ...(ctx as object), note: '***' });
    const { app } = await start(store, {
      guard: (await import('./support/studio-app.js')).TokenGuard,
      redact,
    });
    const quote = await request(app.getHttpServer()).post('/tickets/quote');
    const inMemory = await request(app.getHttpServer()).get(`/orka/api/runs/${quote.text}`).set(auth);
    expect(inMemory.body).toMatchObject({
      pipeline: 'quote',
      status: 'completed',
      durable: false,
      steps: [{ step: 'price', status: 'completed' }],
    });
    const list = await request(app.getHttpServer()).get('/orka/api/runs').set(auth);
    expect(list.body.runs.map((r: { runId: string }) => r.runId)).toEqual(
      expect.arrayContaining([quote.text, runId]),
    );
    const durable = await request(app.getHttpServer()).get(`/orka/api/runs/${runId}`).set(auth);
    expect(durable.body).toMatchObject({
      status: 'waiting',
      durable: true,
      waiting: { step: 'approval', signal: 'approved' },
    });
    expect(durable.body.context).toEqual({ title: 'before', note: '***' });
  });
});
