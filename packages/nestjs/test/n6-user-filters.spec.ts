import { describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  HttpException,
  HttpStatus,
  Module,
  Post,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { MapToHttp, OrkaModule, Pipeline, PipelineRunner, Step } from '../src/index.js';

// An application's own global catch-all filter, registered with app.useGlobalFilters as the Nest docs
// show it, must still see the errors of runs as their mapped HTTP responses (N6).

@MapToHttp(HttpStatus.CONFLICT, { code: 'TAKEN' })
class TakenError extends Error {}

class Boom extends Error {}

/** Wraps every error body, as many applications do to give all errors one shape. */
@Catch()
class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<{ status(n: number): { json(b: unknown): void } }>();
    if (exception instanceof HttpException) {
      res.status(exception.getStatus()).json({ wrapped: exception.getResponse() });
    } else {
      res.status(500).json({ wrapped: 'unexpected' });
    }
  }
}

@Pipeline({ name: 'claim' })
class ClaimPipeline {
  @Step('claim')
  claim(ctx: { name?: string }) {
    if (ctx.name === 'taken') throw new TakenError('the name is taken');
    if (ctx.name === 'boom') throw new Boom('secret detail');
  }
}

@Controller('claims')
class ClaimsController {
  constructor(private readonly runner: PipelineRunner) {}
  @Post('taken')
  async taken() {
    await this.runner.run(ClaimPipeline, { name: 'taken' });
  }
  @Post('boom')
  async boom() {
    await this.runner.run(ClaimPipeline, { name: 'boom' });
  }
  @Post('plain')
  plain() {
    throw new Boom('not from a run');
  }
}

async function start(context: boolean) {
  @Module({
    imports: [OrkaModule.forRoot({ logger: false, context })],
    providers: [ClaimPipeline],
    controllers: [ClaimsController],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new AllExceptionsFilter());
  await app.init();
  return app;
}

describe.each([false, true])('N6 with an application catch-all filter (context tracking %s)', (context) => {
  it('N6 the catch-all sees a mapped error of a run as its HTTP response', async () => {
    const app = await start(context);
    const res = await request(app.getHttpServer()).post('/claims/taken');
    expect(res.status).toBe(409);
    expect(res.body.wrapped).toMatchObject({
      statusCode: 409,
      error: 'TAKEN',
      pipeline: 'claim',
      step: 'claim',
    });
    await app.close();
  });

  it('N6 an unmapped error of a run reaches it as the 500 that leaks nothing', async () => {
    const app = await start(context);
    const res = await request(app.getHttpServer()).post('/claims/boom');
    expect(res.status).toBe(500);
    expect(res.body.wrapped).toEqual({
      statusCode: 500,
      message: 'Internal server error',
      runId: expect.any(String),
    });
    expect(res.text).not.toContain('secret detail');
    await app.close();
  });

  it('N6 an error not from a run reaches it unchanged', async () => {
    const app = await start(context);
    const res = await request(app.getHttpServer()).post('/claims/plain');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ wrapped: 'unexpected' });
    await app.close();
  });
});
