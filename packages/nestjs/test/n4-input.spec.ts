import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import request from 'supertest';
import { OrkaValidationError, PipelineRunner } from '../src/index.js';
import {
  Barrier,
  ForwardingPipeline,
  LenientInputModule,
  Profile,
  SignupContext,
  SignupPipeline,
  StrictInputModule,
} from './fixtures/n4-input.js';
import { platforms, startApp } from './fixtures/n10-platforms.js';
import { rejectionOf } from './support/rejection.js';

const valid = () => ({ email: 'ada@example.com', age: 36 });

/** No prototype anywhere in reach carries what the attacks tried to plant. */
function expectCleanPrototypes() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  expect(Object.prototype.hasOwnProperty.call(SignupContext.prototype, 'polluted')).toBe(false);
  expect(Object.prototype.hasOwnProperty.call(Profile.prototype, 'polluted')).toBe(false);
  expect((new SignupContext() as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(SignupContext.prototype)).toBe(Object.prototype);
}

const forbiddenKeys = ['__proto__', 'constructor', 'prototype', 'polluted'];

describe('N4 input through the runner', () => {
  let strict: INestApplication;
  let lenient: INestApplication;
  let runner: PipelineRunner;
  let pipeline: SignupPipeline;

  beforeAll(async () => {
    strict = await startApp('express', [StrictInputModule]);
    lenient = await startApp('express', [LenientInputModule]);
    runner = strict.get(PipelineRunner);
    pipeline = strict.get(SignupPipeline);
  });
  afterAll(async () => {
    await strict.close();
    await lenient.close();
  });
  afterEach(() => {
    pipeline.seen.length = 0;
    pipeline.barrier = undefined;
  });

  it('N4 a plain object is transformed into a new instance of the context class before any step', async () => {
    const input = valid();
    const result = await runner.run(SignupPipeline, input);
    expect(result.context).toBeInstanceOf(SignupContext);
    expect(result.context).not.toBe(input);
    expect(result.context).toMatchObject({ email: 'ada@example.com', age: 36 });
    // The steps get that instance, the same object in every step.
    expect(pipeline.seen.map((s) => s.step)).toEqual(['first', 'second']);
    expect(pipeline.seen[0]!.ctx).toBe(result.context);
    expect(pipeline.seen[1]!.ctx).toBe(result.context);
    // The caller's object is left alone.
    expect(input).toEqual({ email: 'ada@example.com', age: 36 });
  });

  it('N4 nested objects become instances of their declared classes', async () => {
    const result = await runner.run(SignupPipeline, { ...valid(), profile: { nickname: 'ada' } });
    expect(result.context.profile).toBeInstanceOf(Profile);
    expect(result.context.profile).toEqual(Object.assign(new Profile(), { nickname: 'ada' }));
  });

  it('N4 an input that already is an instance is validated as it is and used as the context, not copied', async () => {
    const input = Object.assign(new SignupContext(), valid());
    const result = await runner.run(SignupPipeline, input);
    expect(result.context).toBe(input);
    expect(pipeline.seen[0]!.ctx).toBe(input);
    expect(input.note).toBe('note of ada@example.com');
  });

  it('N4 an instance that breaks a constraint is rejected before any step', async () => {
    const input = Object.assign(new SignupContext(), { email: 'ada@example.com', age: 12 });
    const err = await rejectionOf(runner.run(SignupPipeline, input));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).messages).toEqual(['age must not be less than 18']);
    expect(pipeline.seen).toEqual([]);
    expect(input.note).toBeUndefined();
  });

  it('N4 a failed validation rejects with OrkaValidationError: .messages as ValidationPipe writes them, .errors from class-validator', async () => {
    const err = await rejectionOf(
      runner.run(SignupPipeline, { email: 'nope', age: 'old', profile: { nickname: 7 } }),
    );
    expect(err).toBeInstanceOf(OrkaValidationError);
    const e = err as OrkaValidationError;
    expect([...e.messages].sort()).toEqual(
      [
        'email must be an email',
        'age must not be less than 18',
        'age must be an integer number',
        'profile.nickname must be a string',
      ].sort(),
    );
    expect(e.pipeline).toBe('signup');
    expect(e.message).toContain('email must be an email');
    expect(e.errors.map((x) => x.property).sort()).toEqual(['age', 'email', 'profile']);
    for (const x of e.errors) expect(x).toBeInstanceOf(ValidationError);
    const email = e.errors.find((x) => x.property === 'email')!;
    expect(email.constraints).toEqual({ isEmail: 'email must be an email' });
    expect(email.value).toBe('nope');
    const profile = e.errors.find((x) => x.property === 'profile')!;
    expect(profile.children?.[0]?.property).toBe('nickname');
    expect(pipeline.seen).toEqual([]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ada@example.com'],
    ['a number', 42],
    ['an array', [{ email: 'ada@example.com', age: 36 }]],
  ])('N4 an input that is %s is rejected with OrkaValidationError before any step', async (_label, input) => {
    const err = await rejectionOf(runner.run(SignupPipeline, input));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).messages.length).toBeGreaterThan(0);
    expect(pipeline.seen).toEqual([]);
  });

  it('N4 properties the context class does not declare are rejected by default, also nested ones', async () => {
    const top = await rejectionOf(runner.run(SignupPipeline, { ...valid(), admin: true }));
    expect(top).toBeInstanceOf(OrkaValidationError);
    expect((top as OrkaValidationError).messages).toEqual(['property admin should not exist']);

    const nested = await rejectionOf(
      runner.run(SignupPipeline, { ...valid(), profile: { nickname: 'ada', role: 'root' } }),
    );
    expect(nested).toBeInstanceOf(OrkaValidationError);
    expect((nested as OrkaValidationError).messages).toEqual([
      expect.stringMatching(/profile.*role should not exist/),
    ]);

    const instance = Object.assign(new SignupContext(), valid(), { admin: true });
    const onInstance = await rejectionOf(runner.run(SignupPipeline, instance));
    expect((onInstance as OrkaValidationError).messages).toEqual(['property admin should not exist']);
    expect(pipeline.seen).toEqual([]);
  });

  it('N4 forRoot({ validation: { forbidUnknownProperties: false } }) lets undeclared properties through and still checks the declared ones', async () => {
    const lenientRunner = lenient.get(PipelineRunner);
    const result = await lenientRunner.run(SignupPipeline, { ...valid(), admin: true });
    expect(result.outcome).toBe('completed');
    expect(result.context).toBeInstanceOf(SignupContext);

    const err = await rejectionOf(lenientRunner.run(SignupPipeline, { email: 'bad', age: 20, admin: true }));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).messages).toEqual(['email must be an email']);
  });

  it('N4 every run gets its own context instance, and concurrent runs never see each other', async () => {
    const n = 30;
    pipeline.barrier = new Barrier(n);
    const shared = valid();
    const inputs = Array.from({ length: n }, (_, i) =>
      i < 2 ? shared : { email: `user${i}@example.com`, age: 20 + i },
    );
    // All runs wait in their first step until every one has reached it.
    const results = await Promise.all(inputs.map((input) => runner.run(SignupPipeline, input)));

    const contexts = results.map((r) => r.context);
    expect(new Set(contexts).size).toBe(n);
    results.forEach((r, i) => {
      expect(r.context.email).toBe(inputs[i]!.email);
      expect(r.context.note).toBe(`note of ${inputs[i]!.email}`);
      const own = pipeline.seen.filter((s) => s.ctx === r.context).map((s) => s.step);
      expect(own).toEqual(['first', 'second']);
    });
    // The input given to two runs made two contexts and stayed as it was.
    expect(results[0]!.context).not.toBe(results[1]!.context);
    expect(shared).toEqual(valid());
  });

  it('N4 a sub-run of a pipeline with a context class validates its input the same way', async () => {
    const plain = valid();
    const fromPlain = await runner.run(ForwardingPipeline, { payload: plain });
    expect(fromPlain.context.sub).toBeInstanceOf(SignupContext);
    expect(fromPlain.context.sub).not.toBe(plain);

    const instance = Object.assign(new SignupContext(), valid());
    const fromInstance = await runner.run(ForwardingPipeline, { payload: instance });
    expect(fromInstance.context.sub).toBe(instance);

    pipeline.seen.length = 0;
    for (const payload of [
      { email: 'nope', age: 30 },
      { ...valid(), admin: true },
    ]) {
      const err = await rejectionOf(runner.run(ForwardingPipeline, { payload }));
      expect(err).toBeInstanceOf(OrkaValidationError);
      expect((err as OrkaValidationError).pipeline).toBe('signup');
    }
    expect(pipeline.seen).toEqual([]);
  });

  it('N4 prototype keys in a parsed input reach no prototype and are dropped from the context', async () => {
    const attacks = [
      '{"email":"ada@example.com","age":36,"__proto__":{"polluted":true}}',
      '{"email":"ada@example.com","age":36,"constructor":{"prototype":{"polluted":true}}}',
      '{"email":"ada@example.com","age":36,"profile":{"nickname":"n","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    ];
    for (const json of attacks) {
      const input: unknown = JSON.parse(json);
      // With the check for undeclared properties off, the keys can only be dropped.
      const result = await lenient.get(PipelineRunner).run(SignupPipeline, input);
      const ctx = result.context as unknown as Record<string, unknown>;
      expect(Object.getPrototypeOf(ctx)).toBe(SignupContext.prototype);
      expect(ctx.constructor).toBe(SignupContext);
      expect(ctx.polluted).toBeUndefined();
      for (const key of forbiddenKeys) expect(Object.getOwnPropertyNames(ctx)).not.toContain(key);
      if (result.context.profile) {
        expect(Object.getPrototypeOf(result.context.profile)).toBe(Profile.prototype);
        for (const key of forbiddenKeys)
          expect(Object.getOwnPropertyNames(result.context.profile)).not.toContain(key);
      }
      expectCleanPrototypes();

      // With it on, the run is rejected or the keys are dropped; either way no prototype is touched.
      try {
        const strictResult = await runner.run(SignupPipeline, JSON.parse(json));
        for (const key of forbiddenKeys)
          expect(Object.getOwnPropertyNames(strictResult.context)).not.toContain(key);
      } catch (err) {
        expect(err).toBeInstanceOf(OrkaValidationError);
      }
      expectCleanPrototypes();
    }
  });
});

describe.each(platforms)('N4 input over HTTP on %s', (platform) => {
  let strict: INestApplication;
  let lenient: INestApplication;

  beforeAll(async () => {
    strict = await startApp(platform, [StrictInputModule]);
    lenient = await startApp(platform, [LenientInputModule]);
  });
  afterAll(async () => {
    await strict.close();
    await lenient.close();
  });

  it(`N4 [${platform}] a JSON body becomes an instance of the context class`, async () => {
    const res = await request(strict.getHttpServer())
      .post('/signup')
      .send({ ...valid(), profile: { nickname: 'ada' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      context: { email: 'ada@example.com', age: 36, profile: { nickname: 'ada' } },
      isInstance: true,
      prototypeIsTheClass: true,
      profileIsInstance: true,
    });
  });

  it(`N4 [${platform}] invalid input answers 400 { statusCode, error: 'ORKA_VALIDATION', message: string[], pipeline }`, async () => {
    const res = await request(strict.getHttpServer())
      .post('/signup')
      .send({ email: 'nope', age: 20, admin: true });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'ORKA_VALIDATION',
      message: expect.any(Array),
      pipeline: 'signup',
    });
    expect([...(res.body.message as string[])].sort()).toEqual([
      'email must be an email',
      'property admin should not exist',
    ]);
  });

  it(`N4 [${platform}] with forbidUnknownProperties: false an undeclared property is accepted`, async () => {
    const res = await request(lenient.getHttpServer())
      .post('/signup')
      .send({ ...valid(), admin: true });
    expect(res.status).toBe(201);
    expect(res.body.isInstance).toBe(true);
  });

  const attacks: [string, string][] = [
    ['__proto__', '{"email":"ada@example.com","age":36,"__proto__":{"polluted":true}}'],
    [
      'constructor.prototype',
      '{"email":"ada@example.com","age":36,"constructor":{"prototype":{"polluted":true}}}',
    ],
    ['prototype', '{"email":"ada@example.com","age":36,"prototype":{"polluted":true}}'],
    [
      'nested __proto__ and constructor.prototype',
      '{"email":"ada@example.com","age":36,"profile":{"nickname":"n","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    ],
  ];

  it.each(attacks)(
    `N4 [${platform}] a body with %s touches no prototype and is rejected or dropped`,
    async (_label, json) => {
      for (const app of [strict, lenient]) {
        const res = await request(app.getHttpServer())
          .post('/signup')
          .set('content-type', 'application/json')
          .send(json);
        expect([201, 400]).toContain(res.status);
        if (res.status === 201) {
          expect(res.body.prototypeIsTheClass).toBe(true);
          expect(res.body.constructorIsTheClass).toBe(true);
          expect(res.body.context.polluted).toBeUndefined();
          for (const key of forbiddenKeys) {
            expect(res.body.ownKeys).not.toContain(key);
            if (res.body.profileOwnKeys) expect(res.body.profileOwnKeys).not.toContain(key);
          }
        }
        expectCleanPrototypes();
      }
      // The application still serves normal requests as before.
      const ok = await request(strict.getHttpServer()).post('/signup').send(valid());
      expect(ok.status).toBe(201);
      expect(ok.body.context.polluted).toBeUndefined();
    },
  );
});
