import { describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  addGlobalGuard,
  addGlobalInterceptor,
  caughtTypes,
  destroyFirst,
  globalFilters,
  injects,
  nameForMissingModule,
} from '../src/nest-internals.js';

// Each function of src/nest-internals.ts relies on something Nest does without promising it. These
// tests pin that behaviour, so that a Nest release that changes it fails here first (and in
// compat/nest11, for Nest 11, through the plugin's behaviour that depends on it).

describe('Nest internals the plugin relies on', () => {
  it("destroyFirst: the module's onModuleDestroy hooks run before those of every other module", async () => {
    const order: string[] = [];
    @Injectable()
    class Early implements OnModuleDestroy {
      onModuleDestroy() {
        order.push('early');
      }
    }
    @Injectable()
    class Late implements OnModuleDestroy {
      onModuleDestroy() {
        order.push('late');
      }
    }
    @Module({ providers: [Early] })
    class EarlyModule {}
    @Module({ imports: [EarlyModule], providers: [Late] })
    class RootModule {}

    const app = await Test.createTestingModule({ imports: [RootModule] }).compile();
    // Before init: Nest reads the order once, when it first calls hooks.
    destroyFirst(app.get(ModulesContainer), EarlyModule);
    await app.init();
    await app.close();
    expect(order).toEqual(['early', 'late']);
  });

  it('globalFilters and caughtTypes: the filters registered with useGlobalFilters, in order, and what each catches', async () => {
    class A extends Error {}
    class B extends Error {}
    @Catch(A, B)
    class Some implements ExceptionFilter {
      catch() {}
    }
    @Catch()
    class All implements ExceptionFilter {
      catch() {}
    }
    const moduleRef = await Test.createTestingModule({}).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const some = new Some();
    const all = new All();
    app.useGlobalFilters(some, all);
    expect(globalFilters(app.get(ApplicationConfig))).toEqual([some, all]);
    expect(caughtTypes(some)).toEqual([A, B]);
    expect(caughtTypes(all)).toEqual([]);
    await app.close();
  });

  it('addGlobalInterceptor: an interceptor added while modules are configured wraps every route', async () => {
    const seen: string[] = [];
    @Injectable()
    class Recorder implements NestInterceptor {
      intercept(context: ExecutionContext, next: CallHandler) {
        seen.push(context.getHandler().name);
        return next.handle();
      }
    }
    @Controller('x')
    class X {
      @Get()
      hello() {
        return 'hi';
      }
    }
    @Module({ controllers: [X], providers: [Recorder] })
    class XModule {
      constructor(
        private readonly config: ApplicationConfig,
        private readonly recorder: Recorder,
      ) {}
      configure() {
        addGlobalInterceptor(this.config, this.recorder);
      }
    }
    const moduleRef = await Test.createTestingModule({ imports: [XModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer()).get('/x').expect(200);
    expect(seen).toEqual(['hello']);
    await app.close();
  });

  it('addGlobalGuard: a guard added while modules are configured runs before every route', async () => {
    const seen: string[] = [];
    @Injectable()
    class Door implements CanActivate {
      canActivate(context: ExecutionContext) {
        seen.push(context.getHandler().name);
        return true;
      }
    }
    @Controller('y')
    class Y {
      @Get()
      hello() {
        return 'hi';
      }
    }
    @Module({ controllers: [Y], providers: [Door] })
    class YModule {
      constructor(
        private readonly config: ApplicationConfig,
        private readonly door: Door,
      ) {}
      configure() {
        addGlobalGuard(this.config, this.door);
      }
    }
    const moduleRef = await Test.createTestingModule({ imports: [YModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer()).get('/y').expect(200);
    expect(seen).toEqual(['hello']);
    await app.close();
  });

  it('injects: a token asked for by constructor type, by @Inject on a parameter, by @Inject on a property', () => {
    class Token {}
    @Injectable()
    class ByType {
      constructor(readonly t: Token) {}
    }
    @Injectable()
    class ByParameter {
      constructor(@Inject(Token) readonly t: unknown) {}
    }
    @Injectable()
    class ByProperty {
      @Inject(Token) readonly t!: unknown;
    }
    @Injectable()
    class Unrelated {}
    expect([ByType, ByParameter, ByProperty, Unrelated].map((cls) => injects(cls, Token))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("nameForMissingModule: Nest's error for an unresolved dependency names the class as renamed", async () => {
    @Injectable()
    class Provided {}
    nameForMissingModule([Provided], 'import ProvidingModule in the root module');
    @Injectable()
    class Needs {
      constructor(readonly p: Provided) {}
    }
    @Module({ providers: [Needs] })
    class Forgetful {}
    const err = await Test.createTestingModule({ imports: [Forgetful] })
      .compile()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as Error).message).toContain('Provided (import ProvidingModule in the root module)');
    // Stack traces keep the class's own name.
    expect(new Error().stack).toBeDefined();
    expect(Object.getPrototypeOf(new Provided()).constructor).toBe(Provided);
  });
});
