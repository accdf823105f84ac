// A Nest 12 ESM app testing its pipeline as the README's testing guide shows: ts-jest in ESM mode,
// `jest` from @jest/globals, the packed ESM build of @orka/nestjs.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Body, Controller, Injectable, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OrkaModule, Pipeline, PipelineRunner, State, Step } from '@orka/nestjs';
import { collectTrace, overrideStep } from '@orka/nestjs/testing';
import { IsEmail } from 'class-validator';
import request from 'supertest';

export class SignupContext {
  @IsEmail() email!: string;
  @State() userId?: string;
  @State() welcomed?: boolean;
}

@Injectable()
export class UsersService {
  async create(email: string) {
    return `user:${email}`;
  }
}

@Pipeline({ name: 'signup', context: SignupContext, steps: ['create_user', 'welcome'] })
export class SignupPipeline {
  constructor(private readonly users: UsersService) {}

  @Step('create_user')
  async create(ctx: SignupContext) {
    ctx.userId = await this.users.create(ctx.email);
  }

  @Step('welcome', { continueOnError: true })
  welcome(ctx: SignupContext) {
    ctx.welcomed = true;
  }
}

@Controller('signup')
export class SignupController {
  constructor(private readonly runner: PipelineRunner) {}
  @Post()
  async signup(@Body() body: unknown) {
    const { context } = await this.runner.run(SignupPipeline, body);
    return { userId: context.userId, welcomed: context.welcomed };
  }
}

@Module({
  imports: [OrkaModule.forRoot()],
  providers: [SignupPipeline, UsersService],
  controllers: [SignupController],
})
export class AppModule {}

describe('a Nest 12 ESM app with @orka/nestjs (ts-jest, ESM mode)', () => {
  it('runs the pipeline over HTTP, and the state fields are the steps\' alone', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const trace = collectTrace(app);
    const ok = await request(app.getHttpServer()).post('/signup').send({ email: 'ada@example.com' });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ userId: 'user:ada@example.com', welcomed: true });
    expect(trace.stepsCompleted()).toEqual(['create_user', 'welcome']);
    const refused = await request(app.getHttpServer())
      .post('/signup')
      .send({ email: 'ada@example.com', userId: 'admin' });
    expect(refused.status).toBe(400);
    trace.stop();
    await app.close();
  });

  it('overrideStep replaces a step in a testing module', async () => {
    const moduleRef = await overrideStep(
      Test.createTestingModule({ imports: [AppModule] }),
      SignupPipeline,
      'welcome',
      (ctx: SignupContext) => {
        ctx.welcomed = false;
      },
    ).compile();
    await moduleRef.init();
    const { context } = await moduleRef.get(PipelineRunner).run(SignupPipeline, { email: 'grace@example.com' });
    expect(context.welcomed).toBe(false);
    await moduleRef.close();
  });
});
