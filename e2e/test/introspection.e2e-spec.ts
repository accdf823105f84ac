import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestApplication } from '@nestjs/core';
import { PipelineRunner } from '@orka/nestjs';
import request from 'supertest';
import { startApp, type RunningApp } from './support/app.js';

// GET /pipelines and GET /pipelines/:name/diagram: the definitions the plugin discovered (N1), as
// describe() and Mermaid (R5), sub-pipeline edges included (N8).

let running: RunningApp;
const api = () => request(running.url);

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.close();
});

interface StepDescription {
  name: string;
  after: string[];
  conditional?: boolean;
  branches: { branch: number | 'otherwise'; kind?: string; pipeline?: string }[];
  subPipelines: string[];
  retry?: { attempts: number; nonRetryable?: string[] };
  timeoutMs?: number;
  optional: boolean;
  compensated?: boolean;
  skipIf?: string;
  wait?: { signal: string; timeoutMs?: number } | { sleep: true };
}
interface PipelineDescription {
  name: string;
  steps: StepDescription[];
}

const pipelines = ['onboarding', 'checkout', 'basic_provisioning', 'premium_provisioning'];

describe('one copy of Nest and of the plugin', () => {
  it('N1 the PipelineRunner the tests import is the one the sample app injects, in a NestApplication of the same @nestjs/core', () => {
    expect(running.app).toBeInstanceOf(NestApplication);
    expect(running.app.get(PipelineRunner)).toBeInstanceOf(PipelineRunner);
    expect(running.app.get(PipelineRunner).pipelines().sort()).toEqual([...pipelines].sort());
  });
});

describe('GET /pipelines (R5 describe)', () => {
  let described: PipelineDescription[];
  const find = (name: string) => described.find((p) => p.name === name)!;
  const stepNames = (name: string) => find(name).steps.map((s) => s.name);

  beforeAll(async () => {
    const res = await api().get('/pipelines').expect(200);
    described = res.body as PipelineDescription[];
  });

  it('N1 lists the four discovered pipelines', () => {
    expect(described.map((p) => p.name).sort()).toEqual([...pipelines].sort());
  });

  it('N1 R5 onboarding: its steps in declaration order, each after the one before', () => {
    expect(stepNames('onboarding')).toEqual([
      'validate_input',
      'create_user_account',
      'determine_provisioning',
      'send_welcome_email',
      'follow_up',
    ]);
    expect(find('onboarding').steps.map((s) => s.after)).toEqual([
      [],
      ['validate_input'],
      ['create_user_account'],
      ['determine_provisioning'],
      ['send_welcome_email'],
    ]);
  });

  it('W3 W1 R5 the follow-up mail sleeps; an order above the limit waits for its approval', () => {
    expect(find('onboarding').steps.find((s) => s.name === 'follow_up')!.wait).toEqual({ sleep: true });
    const approval = find('checkout').steps.find((s) => s.name === 'approval')!;
    expect(approval.wait).toEqual({ signal: 'approval', timeoutMs: 86_400_000 });
    expect(approval.skipIf).toBe('within the approval limit');
  });

  it('N8 R5 onboarding: determine_provisioning shows its sub-pipelines, premium on branch 0, basic otherwise', () => {
    const step = find('onboarding').steps.find((s) => s.name === 'determine_provisioning')!;
    expect(step.conditional).toBe(true);
    expect([...step.subPipelines].sort()).toEqual(['basic_provisioning', 'premium_provisioning']);
    expect(step.branches).toEqual([
      expect.objectContaining({ branch: 0, kind: 'subPipeline', pipeline: 'premium_provisioning' }),
      expect.objectContaining({ branch: 'otherwise', kind: 'subPipeline', pipeline: 'basic_provisioning' }),
    ]);
  });

  it('R1 R3 R5 onboarding: the welcome mail is retried 3 times; creating the account is compensated', () => {
    const steps = find('onboarding').steps;
    expect(steps.find((s) => s.name === 'send_welcome_email')!.retry).toMatchObject({ attempts: 3 });
    expect(steps.find((s) => s.name === 'create_user_account')!.compensated).toBe(true);
  });

  it('N1 R5 the provisioning sub-pipelines and their steps', () => {
    expect(stepNames('basic_provisioning')).toEqual(['assign_shared_workspace']);
    expect(stepNames('premium_provisioning')).toEqual([
      'create_dedicated_workspace',
      'assign_account_manager',
    ]);
  });

  it('R1 R2 R3 R5 checkout: steps, payment branches, retry, timeout, non-retryable decline, compensated reservation', () => {
    expect(stepNames('checkout')).toEqual([
      'validate_cart',
      'reserve_inventory',
      'approval',
      'process_payment',
      'confirm_order',
      'notify',
    ]);
    const payment = find('checkout').steps.find((s) => s.name === 'process_payment')!;
    expect(payment.conditional).toBe(true);
    expect(payment.branches.map((b) => b.branch)).toEqual([0, 'otherwise']);
    expect(payment.subPipelines).toEqual([]);
    expect(payment.retry).toMatchObject({ attempts: 3, nonRetryable: ['PaymentDeclinedError'] });
    expect(payment.timeoutMs).toBe(2_000);
    expect(find('checkout').steps.find((s) => s.name === 'reserve_inventory')!.compensated).toBe(true);
  });
});

describe('GET /pipelines/:name/diagram (R5 Mermaid)', () => {
  it.each(pipelines)('R5 %s: text/plain, a flowchart naming every step', async (name) => {
    const res = await api().get(`/pipelines/${name}/diagram`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text.startsWith('flowchart')).toBe(true);
    const described = (await api().get('/pipelines').expect(200)).body as PipelineDescription[];
    for (const step of described.find((p) => p.name === name)!.steps) {
      expect(res.text).toContain(step.name);
    }
  });

  it('N8 R5 the onboarding diagram draws the edges to both provisioning sub-pipelines', async () => {
    const res = await api().get('/pipelines/onboarding/diagram').expect(200);
    expect(res.text).toContain('premium_provisioning');
    expect(res.text).toContain('basic_provisioning');
  });

  it('404 for an unknown pipeline name, as JSON naming it', async () => {
    const res = await api().get('/pipelines/no_such_pipeline/diagram').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    expect((res.body as { message: string }).message).toContain('no_such_pipeline');
  });
});
