// (c) A Nest 11 testing module serving a controller that runs an @orka/core pipeline, called over
// real HTTP.
import 'reflect-metadata';
import { Controller, Get, Injectable, NotFoundException, Param, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Pipeline } from '@orka/core';
import request from 'supertest';

interface GreetingContext {
  name: string;
  greeting?: string;
}

@Injectable()
class GreetingService {
  readonly pipeline = new Pipeline<GreetingContext>('greeting', ['find_person', 'compose']);

  constructor() {
    this.pipeline.onStep('find_person', (ctx) => {
      if (ctx.name === 'nobody') throw new NotFoundException(`no person named ${ctx.name}`);
    });
    this.pipeline.onStep('compose', (ctx) => {
      ctx.greeting = `Hello, ${ctx.name}!`;
    });
  }
}

@Controller('greetings')
class GreetingController {
  constructor(private readonly greetings: GreetingService) {}

  @Get(':name')
  async greet(@Param('name') name: string) {
    const result = await this.greetings.pipeline.run({ name });
    return {
      outcome: result.outcome,
      greeting: result.context.greeting,
      steps: result.steps.map(({ step, status }) => `${step}:${status}`),
    };
  }
}

describe('Nest 11 testing module with an @orka/core pipeline, over HTTP', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [GreetingController],
      providers: [GreetingService],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('listens on a real port', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('runs the pipeline per request and returns its result', async () => {
    const response = await request(url).get('/greetings/Ada').expect(200);
    expect(response.body).toEqual({
      outcome: 'completed',
      greeting: 'Hello, Ada!',
      steps: ['find_person:completed', 'compose:completed'],
    });
  });

  it('lets an HttpException thrown by a step reach Nest unwrapped', async () => {
    const response = await request(url).get('/greetings/nobody').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, message: 'no person named nobody' });
  });
});
