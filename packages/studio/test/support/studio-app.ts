import {
  Body,
  Controller,
  Injectable,
  Module,
  Post,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MemoryRunStore, type RunStore } from '@orka/core';
import { IsString } from 'class-validator';
import { OrkaModule, Pipeline, PipelineRunner, State, Step, WaitFor } from '@orka/nestjs';
import { IsOptional } from 'class-validator';
import { OrkaStudioModule, type OrkaStudioOptions } from '../../src/index.js';

/** The token the tests' guard wants, in the `authorization` header or the `studio_token` cookie. */
export const TOKEN = 'studio-test-token';

@Injectable()
export class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return (
      req.headers.authorization === `Bearer ${TOKEN}` ||
      (req.headers.cookie ?? '').includes(`studio_token=${TOKEN}`)
    );
  }
}

export class ApprovalDto {
  @IsString() by!: string;
}

export class TicketContext {
  @IsString() title!: string;
  @IsOptional() @IsString() note?: string;
  @State() approvedBy?: string;
  @State() done?: boolean;
}

@Pipeline({ name: 'ticket', context: TicketContext, durable: true })
export class TicketPipeline {
  @Step('open')
  open() {}

  @Step('approval')
  @WaitFor('approved', { payload: ApprovalDto })
  approve(ctx: TicketContext, answer: ApprovalDto) {
    ctx.approvedBy = answer.by;
  }

  @Step('close')
  close(ctx: TicketContext) {
    ctx.done = true;
  }
}

@Pipeline({ name: 'quote' })
export class QuotePipeline {
  @Step('price')
  price(ctx: { total?: number }) {
    ctx.total = 42;
  }
}

@Controller('tickets')
export class TicketsController {
  constructor(private readonly runner: PipelineRunner) {}

  @Post()
  async open(@Body() body: unknown) {
    return this.runner.start(TicketPipeline, body);
  }

  @Post('quote')
  async quote() {
    return (await this.runner.run(QuotePipeline, {})).runId;
  }
}

/** An app with the Studio at /orka behind the token guard (or as `studio` says), listening on 127.0.0.1. */
export async function studioApp(
  store: RunStore = new MemoryRunStore(),
  studio: OrkaStudioOptions = { guard: TokenGuard },
): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [OrkaModule.forRoot({ store, durable: { pollMs: 50 } }), OrkaStudioModule.forRoot(studio)],
    providers: [TicketPipeline, QuotePipeline],
    controllers: [TicketsController],
  })
  class StudioTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [StudioTestModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = (
    app.getHttpServer() as import('node:net').Server
  ).address() as import('node:net').AddressInfo;
  return { app, url: `http://127.0.0.1:${address.port}` };
}
