import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  OrkaConfigurationError,
  OrkaModule,
  OrkaValidationError,
  PipelineRunner,
  type OrkaEvent,
} from '../src/index.js';
import {
  AccountContext,
  BadSubInputPipeline,
  EnterpriseContext,
  EnterprisePipeline,
  EuProvisionPipeline,
  HaltRoutePipeline,
  HaltingPipeline,
  InstanceSubInputPipeline,
  OrphanPipeline,
  PingPipeline,
  PointsAtOrphanPipeline,
  PongPipeline,
  ProvisionContext,
  ProvisionPipeline,
  RegionChooser,
  RoutingPipeline,
  SameClassParentPipeline,
  SharedContextPipeline,
  SignupPipeline,
  UsProvisionPipeline,
  bodyCalls,
  clearRecords,
  subCalls,
  subResults,
} from './fixtures/n8-sub-pipelines.js';

let moduleRef: TestingModule;
let runner: PipelineRunner;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [OrkaModule.forRoot({ logger: false })],
    providers: [
      ProvisionPipeline,
      EuProvisionPipeline,
      UsProvisionPipeline,
      EnterprisePipeline,
      HaltingPipeline,
      RegionChooser,
      SignupPipeline,
      BadSubInputPipeline,
      RoutingPipeline,
      SharedContextPipeline,
      HaltRoutePipeline,
      SameClassParentPipeline,
      InstanceSubInputPipeline,
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  runner = moduleRef.get(PipelineRunner);
});

afterAll(() => moduleRef.close());

beforeEach(() => {
  clearRecords();
  moduleRef.get(RegionChooser).picked.length = 0;
});

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

async function initFailure(...providers: Type<unknown>[]): Promise<OrkaConfigurationError> {
  const broken = await Test.createTestingModule({
    imports: [OrkaModule.forRoot({ logger: false })],
    providers,
  }).compile();
  broken.useLogger(false);
  const err = await caught(broken.init());
  await broken.close().catch(() => undefined);
  expect(err).toBeInstanceOf(OrkaConfigurationError);
  return err as OrkaConfigurationError;
}

describe('N8 run.subPipeline(Class, input)', () => {
  it("N8 resolves to the sub-run's RunResult, linked to the parent by parentRunId", async () => {
    const result = await runner.run(SignupPipeline, { plan: 'basic' });
    expect(result.outcome).toBe('completed');
    expect(result.context.status).toBe('provisioned:acc-1');
    expect(result.context.done).toBe(true);

    expect(subResults).toHaveLength(1);
    const sub = subResults[0]!;
    expect(sub).toMatchObject({ pipeline: 'provision', outcome: 'completed', parentRunId: result.runId });
    expect(sub.runId).not.toBe(result.runId);
    expect(sub.context).toBeInstanceOf(ProvisionContext);
    expect(sub.context).toMatchObject({ accountId: 'acc-1', status: 'provisioned:acc-1' });
    expect(sub.steps.map((s) => [s.step, s.status])).toEqual([['provision', 'completed']]);
    expect(subCalls).toEqual([
      { pipeline: 'provision', runId: sub.runId, parentRunId: result.runId, ctx: sub.context },
    ]);
  });

  it('N8 a Stop in the sub-run stops the parent, even when the handler only awaited the sub-run', async () => {
    const result = await runner.run(SignupPipeline, { plan: 'basic', halt: true });
    expect(result.outcome).toBe('stopped');
    expect(result.context.done).toBeUndefined();
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['create', 'completed'],
      ['provision', 'stopped'],
    ]);
    expect(subResults[1]).toMatchObject({
      pipeline: 'halting',
      outcome: 'stopped',
      parentRunId: result.runId,
    });
  });

  it("N8 the sub-run's input is validated against the sub-pipeline's context class", async () => {
    const err = await caught(runner.run(BadSubInputPipeline, {}));
    expect(err).toBeInstanceOf(OrkaValidationError);
    const validation = err as OrkaValidationError;
    expect(validation.pipeline).toBe('provision');
    expect(validation.messages).toEqual(
      expect.arrayContaining(['accountId must be a string', 'property extra should not exist']),
    );
    expect(subCalls).toEqual([]);
  });

  it('N8 an input that is already an instance of the sub-pipeline context class is used as the sub-context', async () => {
    const input = Object.assign(new ProvisionContext(), { accountId: 'i-1' });
    const result = await runner.run(InstanceSubInputPipeline, { input });
    expect(result.context.sub!.context).toBe(input);
    expect(input.status).toBe('provisioned:i-1');
  });

  it("N8 the sub-run's events reach the parent's observer, between the parent step's start and end", async () => {
    const events: OrkaEvent[] = [];
    const result = await runner.run(SignupPipeline, { plan: 'basic' }, { observer: (e) => events.push(e) });
    const sub = subResults[0]!;
    const trail = events.map((e) =>
      `${e.runId === result.runId ? 'parent' : 'sub'} ${e.type} ${e.step ?? ''}`.trim(),
    );
    const start = trail.indexOf('parent step.started provision');
    const end = trail.indexOf('parent step.completed provision');
    expect(trail.slice(start, end + 1)).toEqual([
      'parent step.started provision',
      'sub run.started',
      'sub step.started provision',
      'sub step.completed provision',
      'sub run.finished',
      'parent step.completed provision',
    ]);
    for (const e of events.filter((x) => x.runId === sub.runId)) expect(e.parentRunId).toBe(result.runId);
  });
});

describe('N8 @SubPipeline', () => {
  it('N8 on a @When method with a class: extract builds the input, merge writes back, the body is not called', async () => {
    const result = await runner.run(RoutingPipeline, { plan: 'premium', accountId: 'p-1' });
    expect(result.outcome).toBe('completed');
    expect(result.context.status).toBe('provisioned:p-1');
    expect(result.context.done).toBe(true);
    expect(result.steps[0]).toMatchObject({ step: 'route', status: 'completed', branch: 0 });
    expect(bodyCalls).toEqual([]);
    expect(subCalls).toHaveLength(1);
    expect(subCalls[0]).toMatchObject({ pipeline: 'provision', parentRunId: result.runId });
    expect(subCalls[0]!.ctx).toBeInstanceOf(ProvisionContext);
    expect(subCalls[0]!.ctx).not.toBe(result.context);
  });

  it('N8 with forwardRef(() => Class) to a pipeline declared later', async () => {
    const result = await runner.run(RoutingPipeline, { plan: 'enterprise', accountId: 'e-1' });
    expect(result.context.status).toBe('enterprise:e-1:5');
    expect(result.steps[0]!.branch).toBe(1);
    expect(subCalls).toHaveLength(1);
    expect(subCalls[0]).toMatchObject({ pipeline: 'enterprise', parentRunId: result.runId });
    expect(subCalls[0]!.ctx).toBeInstanceOf(EnterpriseContext);
    expect(bodyCalls).toEqual([]);
  });

  it('N8 on an @Otherwise method with an async factory (ctx, moduleRef) => Class that uses DI, called per run', async () => {
    const us = await runner.run(RoutingPipeline, { plan: 'basic', region: 'us', accountId: 'b-1' });
    expect(us.context.status).toBe('us:b-1');
    expect(us.steps[0]!.branch).toBe('otherwise');
    const eu = await runner.run(RoutingPipeline, { plan: 'basic', region: 'eu', accountId: 'b-2' });
    expect(eu.context.status).toBe('eu:b-2');
    expect(moduleRef.get(RegionChooser).picked).toEqual(['us', 'eu']);
    expect(subCalls.map((c) => [c.pipeline, c.parentRunId])).toEqual([
      ['provision_us', us.runId],
      ['provision_eu', eu.runId],
    ]);
    expect(bodyCalls).toEqual([]);
  });

  it('N8 the factory is not called when an earlier branch matches', async () => {
    await runner.run(RoutingPipeline, { plan: 'premium', accountId: 'p-2' });
    expect(moduleRef.get(RegionChooser).picked).toEqual([]);
  });

  it('N8 the input built by extract is validated against the sub-pipeline context class', async () => {
    const err = await caught(runner.run(RoutingPipeline, { plan: 'premium' }));
    expect(err).toBeInstanceOf(OrkaValidationError);
    expect((err as OrkaValidationError).pipeline).toBe('provision');
    expect((err as OrkaValidationError).messages).toContain('accountId must be a string');
    expect(subCalls).toEqual([]);
  });

  it("N8 on a plain @Step method without extract: the sub-run gets the parent's context object itself", async () => {
    const input = new AccountContext();
    Object.assign(input, { plan: 'premium', region: 'eu', accountId: 's-1' });
    const result = await runner.run(SharedContextPipeline, input);
    expect(result.outcome).toBe('completed');
    expect(subCalls).toHaveLength(1);
    // The very same object: the parent's own fields (plan, region) are there, and the sub-run's
    // write needs no merge.
    expect(subCalls[0]!.ctx).toBe(result.context);
    expect(result.context).toBe(input);
    expect(result.context.status).toBe('provisioned:s-1');
    expect(result.context.done).toBe(true);
    expect(result.steps[0]).toMatchObject({ step: 'provision', status: 'completed' });
    expect(bodyCalls).toEqual([]);
  });

  it("N8 a plain-object input: the sub-run still shares the parent's context instance", async () => {
    const result = await runner.run(SharedContextPipeline, { plan: 'basic', accountId: 's-2' });
    expect(subCalls[0]!.ctx).toBe(result.context);
    expect(result.context).toBeInstanceOf(AccountContext);
    expect(result.context.status).toBe('provisioned:s-2');
  });

  it("N8 a shared context is validated against the sub-pipeline's context class", async () => {
    // Valid for AccountContext (accountId is optional there), invalid for ProvisionContext.
    const err = await caught(runner.run(SharedContextPipeline, { plan: 'basic', region: 'us' }));
    expect(err).toBeInstanceOf(OrkaValidationError);
    const validation = err as OrkaValidationError;
    expect(validation.pipeline).toBe('provision');
    expect(validation.messages).toEqual(['accountId must be a string']);
    expect(subCalls).toEqual([]);
  });

  it('N8 a shared context of the very context class of the sub-pipeline is not checked for undeclared properties', async () => {
    // The parent adds a field its class does not declare; the sub-pipeline declares the same class.
    const result = await runner.run(SameClassParentPipeline, { accountId: 'c-1' });
    expect(result.outcome).toBe('completed');
    expect(subCalls).toHaveLength(1);
    expect(subCalls[0]!.ctx).toBe(result.context);
    expect(result.context.status).toBe('provisioned:c-1');
    expect(result.context).toMatchObject({ scratch: 'a field only the parent knows' });
  });

  it('N8 a Stop in a declared sub-pipeline stops the parent', async () => {
    const log: string[] = [];
    const result = await runner.run(HaltRoutePipeline, { log });
    expect(result.outcome).toBe('stopped');
    expect(log).toEqual([]);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'go', status: 'stopped' })]);
    expect(subCalls).toEqual([expect.objectContaining({ pipeline: 'halting', parentRunId: result.runId })]);
    expect(bodyCalls).toEqual([]);
  });

  it('N8 describe() and toMermaid() show the declared sub-pipeline edges', () => {
    const route = runner.describe(RoutingPipeline).steps.find((s) => s.name === 'route')!;
    expect(route.subPipelines).toEqual(['provision', 'enterprise']);
    expect(route.branches).toEqual([
      expect.objectContaining({
        branch: 0,
        kind: 'subPipeline',
        pipeline: 'provision',
        extractor: true,
        merge: true,
      }),
      expect.objectContaining({
        branch: 1,
        kind: 'subPipeline',
        pipeline: 'enterprise',
        extractor: true,
        merge: true,
      }),
      expect.objectContaining({ branch: 'otherwise', kind: 'factory' }),
    ]);
    const chart = runner.toMermaid(RoutingPipeline);
    expect(chart).toContain('provision');
    expect(chart).toContain('enterprise');

    const shared = runner.describe(SharedContextPipeline).steps.find((s) => s.name === 'provision')!;
    expect(shared.subPipelines).toEqual(['provision']);
    expect(shared.branches).toEqual([expect.objectContaining({ kind: 'subPipeline', extractor: false })]);
  });

  it('N8 a static cycle of @SubPipeline classes makes init reject', async () => {
    const err = await initFailure(PingPipeline, PongPipeline);
    expect(err.problems.length).toBeGreaterThanOrEqual(1);
    const all = err.problems.join('\n');
    expect(all).toMatch(/cycle/i);
    expect(all).toContain('ping');
    expect(all).toContain('pong');
    for (const p of err.problems) expect(p).toMatch(/^(PingPipeline|PongPipeline)\.bounce: /);
  });

  it('N8 a @SubPipeline class that no module provides makes init reject, naming Class.method', async () => {
    const err = await initFailure(PointsAtOrphanPipeline);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^PointsAtOrphanPipeline\.go: /);
    expect(err.problems[0]).toContain(OrphanPipeline.name);
  });
});
