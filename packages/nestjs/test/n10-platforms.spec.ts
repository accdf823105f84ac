import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ShopModule, platforms, startApp } from './fixtures/n10-platforms.js';

interface Case {
  title: string;
  path: string;
  body: unknown;
  status: number;
  /** The whole body, or a check of it. */
  expected: Record<string, unknown> | ((body: Record<string, unknown>) => void);
}

const isRunId = (v: unknown) => typeof v === 'string' && v.length > 0;

// One table, run as it is against each adapter.
const cases: Case[] = [
  {
    title: 'a completed run answers 201 with the context the steps filled',
    path: '/orders',
    body: { item: 'tea', qty: 4 },
    status: 201,
    expected: (body) => {
      expect(body).toMatchObject({ item: 'tea', qty: 4, total: 12, outcome: 'completed' });
      expect(isRunId(body.runId)).toBe(true);
    },
  },
  {
    title: "the route's own @HttpCode is kept",
    path: '/orders/accepted',
    body: { item: 'tea', qty: 1 },
    status: 202,
    expected: { total: 3 },
  },
  {
    title: 'invalid input answers 400 with the list of failed constraints',
    path: '/orders',
    body: { item: '', qty: 0, coupon: 'FREE' },
    status: 400,
    expected: (body) => {
      expect(body).toMatchObject({ statusCode: 400, error: 'ORKA_VALIDATION', pipeline: 'order' });
      expect([...(body.message as string[])].sort()).toEqual(
        [
          'item must be longer than or equal to 1 characters',
          'qty must not be less than 1',
          'property coupon should not exist',
        ].sort(),
      );
    },
  },
  {
    title: 'a @MapToHttp error answers with its status and the N6 body',
    path: '/orders',
    body: { item: 'sold-out', qty: 1 },
    status: 409,
    expected: (body) => {
      expect(body).toMatchObject({
        statusCode: 409,
        error: 'SOLD_OUT',
        message: 'sold-out is gone',
        pipeline: 'order',
        step: 'check_stock',
      });
      expect(isRunId(body.runId)).toBe(true);
    },
  },
  {
    title: 'an HttpException from a step keeps its own status and body',
    path: '/orders',
    body: { item: 'teapot', qty: 1 },
    status: 418,
    expected: { reason: 'short and stout' },
  },
  {
    title: 'any other error answers 500 with nothing of the error in the body',
    path: '/orders',
    body: { item: 'ledger', qty: 1 },
    status: 500,
    expected: (body) => {
      expect(Object.keys(body).sort()).toEqual(['message', 'runId', 'statusCode']);
      expect(body).toMatchObject({ statusCode: 500, message: 'Internal server error' });
      expect(isRunId(body.runId)).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/ledger|checksum|orders-primary|LedgerCorrupt/i);
    },
  },
];

describe.each(platforms)('N10 the shop app on %s', (platform) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(platform, [ShopModule]);
  });
  afterAll(() => app.close());

  it.each(cases)(`N10 [${platform}] $title`, async ({ path, body, status, expected }) => {
    const res = await request(app.getHttpServer())
      .post(path)
      .send(body as object);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    if (typeof expected === 'function') expected(res.body as Record<string, unknown>);
    else expect(res.body).toEqual(expected);
  });

  it(`N10 [${platform}] concurrent requests each get their own result`, async () => {
    const server = app.getHttpServer();
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(server)
          .post('/orders')
          .send({ item: `item-${i}`, qty: i + 1 }),
      ),
    );
    responses.forEach((res, i) => {
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ item: `item-${i}`, qty: i + 1, total: (i + 1) * 3 });
    });
    expect(new Set(responses.map((r) => r.body.runId)).size).toBe(40);
  });
});
