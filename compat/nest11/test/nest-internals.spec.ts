// The plugin's behaviours that rest on Nest internals (packages/nestjs/src/nest-internals.ts), on Nest 11:
// if Nest 11 behaves differently from Nest 12 in one of them, this fails first.
import 'reflect-metadata';
import {
  Catch,
  Controller,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Post,
  type ArgumentsHost,
  type ExceptionFilter,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { MapToHttp, OrkaContext, OrkaModule, Pipeline, PipelineRunner, Step } from '@orka/nestjs';
import request from 'supertest';

@MapToHttp(HttpStatus.CONFLICT, { code: 'TAKEN' })
class TakenError extends Error {}

/** A dependency torn down when the application closes, as a database client would be. */
@Injectable()
class Store implements OnModuleDestroy {
  destroyed = false;
  onModuleDestroy() {
    this.destroyed = true;
  }
}

/** Asks for OrkaContext through an explicit @Inject on a parameter, and on a property. */
@Injectable()
class Audit {
  @Inject(OrkaContext) private readonly byProperty!: OrkaContext;
  constructor(@Inject(OrkaContext) private readonly byParameter: unknown) {}
  line() {
    return `${(this.byParameter as OrkaContext).step}/${this.byProperty.pipeline}`;
  }
}

@Pipeline({ name: 'internals' })
class InternalsPipeline {
  release: () => void = () => undefined;
  constructor(
    private readonly store: Store,
    private readonly audit: Audit,
  ) {}

  @Step('work')
  async work(ctx: { mode?: string; line?: string; storeDestroyed?: boolean }) {
    if (ctx.mode === 'taken') throw new TakenError('taken');
    ctx.line = this.audit.line();
    if (ctx.mode === 'hold') await new Promise<void>((resolve) => (this.release = resolve));
    ctx.storeDestroyed = this.store.destroyed;
  }
}

@Controller('internals')
class InternalsController {
  constructor(private readonly runner: PipelineRunner) {}
  @Post('taken')
  async taken() {
    return (await this.runner.run(InternalsPipeline, { mode: 'taken' })).outcome;
  }
}

/** The application's own catch-all, registered with useGlobalFilters as many applications do. */
@Catch()
class CatchAll implements ExceptionFilter {
  constructor(private readonly adapter: HttpAdapterHost) {}
  catch(err: unknown, host: ArgumentsHost) {
    const status = (err as { getStatus?: () => number }).getStatus?.() ?? 500;
    const body = (err as { getResponse?: () => unknown }).getResponse?.() ?? {};
    this.adapter.httpAdapter.reply(host.switchToHttp().getResponse(), { caughtBy: 'CatchAll', body }, status);
  }
}

@Module({
  imports: [OrkaModule.forRoot({ logger: false })],
  providers: [Store, Audit, InternalsPipeline],
  controllers: [InternalsController],
})
class InternalsModule {}

describe('behaviours that rest on Nest internals, on Nest 11', () => {
  it('runs in flight finish before the providers they use are destroyed (module destroy order)', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [InternalsModule] }).compile();
    await moduleRef.init();
    const pipeline = moduleRef.get(InternalsPipeline);
    const run = moduleRef.get(PipelineRunner).run(InternalsPipeline, { mode: 'hold' });
    await new Promise((resolve) => setImmediate(resolve));
    const closed = moduleRef.close();
    await new Promise((resolve) => setImmediate(resolve));
    pipeline.release();
    const result = await run;
    await closed;
    expect((result.context as { storeDestroyed?: boolean }).storeDestroyed).toBe(false);
  });

  it('an explicit @Inject(OrkaContext), on a parameter or a property, turns context tracking on', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [InternalsModule] }).compile();
    await moduleRef.init();
    const result = await moduleRef.get(PipelineRunner).run(InternalsPipeline, {});
    expect((result.context as { line?: string }).line).toBe('work/internals');
    await moduleRef.close();
  });

  it("the application's own global catch-all sees errors of runs already mapped (filters read, interceptor added)", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [InternalsModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new CatchAll(app.get(HttpAdapterHost)));
    await app.init();
    const res = await request(app.getHttpServer()).post('/internals/taken');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ caughtBy: 'CatchAll', body: { statusCode: 409, error: 'TAKEN' } });
    await app.close();
  });

  it('an application that forgot OrkaModule.forRoot() is told to import it', async () => {
    @Module({ providers: [Store, Audit, InternalsPipeline] })
    class Forgetful {}
    const err = await Test.createTestingModule({ imports: [Forgetful] })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as Error).message).toContain('import OrkaModule.forRoot()');
  });
});
