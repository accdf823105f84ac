import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsEmail, IsIn } from 'class-validator';
import request from 'supertest';
import { Compensate, OrkaModule, Pipeline, PipelineRunner, SkipIf, State, Step } from '../src/index.js';

// The README's "In 30 lines" example, as written there, with in-memory services.

@Injectable()
class UsersService {
  readonly ids = new Set<string>();
  async create(email: string) {
    this.ids.add(email);
    return `id:${email}`;
  }
  async remove(id: string) {
    this.ids.delete(id.slice(3));
  }
}

@Injectable()
class MailService {
  readonly sent: string[] = [];
  fail = false;
  async welcome(email: string) {
    if (this.fail) throw new Error('smtp down');
    this.sent.push(email);
  }
}

export class SignupContext {
  @IsEmail() email!: string;
  @IsIn(['basic', 'premium']) planType!: 'basic' | 'premium';
  @State() userId?: string; // written by the steps; a body that sets it is a 400
}

@Pipeline({ name: 'signup', context: SignupContext, steps: ['create_user', 'welcome'] })
export class SignupPipeline {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
  ) {}

  @Step('create_user', { retry: { attempts: 3, backoff: 'exponential', delayMs: 50 }, timeoutMs: 2000 })
  async createUser(ctx: SignupContext) {
    ctx.userId = await this.users.create(ctx.email);
  }

  @Compensate('create_user')
  async removeUser(ctx: SignupContext) {
    await this.users.remove(ctx.userId!);
  }

  @Step('welcome')
  @SkipIf((ctx: SignupContext) => ctx.planType === 'basic', 'basic plans get no mail')
  async welcome(ctx: SignupContext) {
    await this.mail.welcome(ctx.email);
  }
}

@Controller('signup')
export class SignupController {
  constructor(private readonly runner: PipelineRunner) {}

  @Post()
  async signup(@Body() body: unknown) {
    const { context } = await this.runner.run(SignupPipeline, body); // context: SignupContext
    return { userId: context.userId };
  }
}

@Module({
  imports: [OrkaModule.forRoot({ logger: false })],
  providers: [SignupPipeline, UsersService, MailService],
  controllers: [SignupController],
})
class AppModule {}

describe('the README example in 30 lines', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('N3 signs a premium user up and mails them', async () => {
    const res = await request(app.getHttpServer())
      .post('/signup')
      .send({ email: 'ada@example.com', planType: 'premium' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 'id:ada@example.com' });
    expect(app.get(MailService).sent).toEqual(['ada@example.com']);
  });

  it('N4 rejects an invalid body with 400 and the list of problems', async () => {
    const res = await request(app.getHttpServer()).post('/signup').send({ email: 'x', planType: 'gold' });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([
      'email must be an email',
      'planType must be one of the following values: basic, premium',
    ]);
  });

  it("N4 userId is the steps' to write: a body that sets it answers 400", async () => {
    const res = await request(app.getHttpServer())
      .post('/signup')
      .send({ email: 'eve@example.com', planType: 'basic', userId: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([
      "property userId is set by the pipeline's steps and must not be given in the input",
    ]);
  });

  it('R3 a failure after create_user removes the user again, and the client gets a 500 that leaks nothing', async () => {
    app.get(MailService).fail = true;
    const res = await request(app.getHttpServer())
      .post('/signup')
      .send({ email: 'bob@example.com', planType: 'premium' });
    app.get(MailService).fail = false;
    expect(res.status).toBe(500);
    expect(Object.keys(res.body).sort()).toEqual(['message', 'runId', 'statusCode']);
    expect(app.get(UsersService).ids.has('bob@example.com')).toBe(false);
  });
});
