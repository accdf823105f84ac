// Part 4: app.init() of an application with 200 pipeline classes of 20 steps each, generated here:
// methods defined on generated classes and decorated by calling the decorators as functions. Step 10
// of each is conditional (a @When branch and an @Otherwise branch). One measurement per process (a
// bootstrap happens once per process); the runner starts several and alternates with `--variant plain`,
// the same 200 classes as plain @Injectable providers in an app without OrkaModule, to show what
// Orka itself adds. Each pipeline declares its step list.
import 'reflect-metadata';
import { strictEqual } from 'node:assert/strict';
import { Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OrkaModule, Otherwise, Pipeline, PipelineRunner, Step, When } from '@orka/nestjs';
import { parseArgs } from '../lib/args.js';
import { writeResult } from '../lib/io.js';

const args = parseArgs();
const variant = args.values.get('variant') ?? 'orka';
const pipelines = Number(args.values.get('pipelines') ?? 200);
const steps = Number(args.values.get('steps') ?? 20);
const CONDITIONAL = 10;

interface Ctx {
  vip: boolean;
  total: number;
}

function define(proto: object, method: string, fn: (ctx: Ctx) => void, decorators: MethodDecorator[]): void {
  Object.defineProperty(proto, method, { value: fn, writable: true, configurable: true, enumerable: false });
  if (variant !== 'orka') return;
  // Applied bottom-up, as TypeScript applies stacked decorators.
  for (const d of [...decorators].reverse())
    d(proto, method, Object.getOwnPropertyDescriptor(proto, method)!);
}

function generate(index: number): Type<unknown> {
  const cls = class {};
  Object.defineProperty(cls, 'name', { value: `GeneratedPipeline${index}` });
  for (let s = 0; s < steps; s++) {
    const step = `step_${s}`;
    if (s === CONDITIONAL) {
      define(cls.prototype, `${step}_vip`, (ctx) => void (ctx.total += 2 * s), [
        Step(step),
        When((ctx: Ctx) => ctx.vip),
      ]);
      define(cls.prototype, `${step}_standard`, (ctx) => void (ctx.total += s), [Step(step), Otherwise()]);
    } else {
      define(cls.prototype, step, (ctx) => void (ctx.total += s), [Step(step)]);
    }
  }
  // The step list, as the README recommends: it is also what keeps `step_10` (the conditional step)
  // from reading as a misspelt `step_0` to the near-miss check of step names.
  const names = Array.from({ length: steps }, (_, s) => `step_${s}`);
  (variant === 'orka' ? Pipeline({ name: `generated_${index}`, steps: names }) : Injectable())(cls);
  return cls;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const classes = Array.from({ length: pipelines }, (_, i) => generate(i));
  const generateMs = performance.now() - t0;

  const AppModule = class {};
  Module({
    imports: variant === 'orka' ? [OrkaModule.forRoot()] : [],
    providers: classes,
  })(AppModule);

  const t1 = performance.now();
  const app = await NestFactory.create(AppModule, { logger: false });
  const createMs = performance.now() - t1;
  const t2 = performance.now();
  await app.init();
  const initMs = performance.now() - t2;

  if (variant === 'orka') {
    const runner = app.get(PipelineRunner);
    strictEqual(runner.pipelines().length, pipelines);
    const { context } = await runner.run(classes[pipelines - 1]!, { vip: true, total: 0 } as Ctx);
    const expected = Array.from({ length: steps }, (_, s) => (s === CONDITIONAL ? 2 * s : s)).reduce(
      (a, b) => a + b,
    );
    strictEqual((context as Ctx).total, expected);
  }
  await app.close();
  writeResult(args.out, { suite: 'bootstrap', variant, pipelines, steps, generateMs, createMs, initMs });
}

await main();
