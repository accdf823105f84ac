import type { Condition } from '@orka/core';
import type { HandlerMetadata } from './interfaces/handler-metadata.interface.js';
import type { PipelineHost } from './interfaces/pipeline-host.interface.js';
import type { StepDecoratorOptions } from './interfaces/step-options.interface.js';
import type { DecoratedMethod } from './orka-metadata.accessor.js';
import * as messages from './orka.messages.js';

/** The methods of one step, sorted by role. */
export interface StepPlan {
  name: string;
  /** Declares the step; the first method that names it. */
  firstMethod: string;
  handlers: string[];
  branches: { method: string; when: Condition<never>[] }[];
  otherwise: string[];
  before: string[];
  after: string[];
  options: { method: string; options: StepDecoratorOptions }[];
  skips: { method: string; skip: NonNullable<HandlerMetadata['skipIf']> }[];
  compensations: string[];
  subPipelines: Map<string, NonNullable<HandlerMetadata['subPipeline']>>;
}

/** Sorts a class's methods into steps (in order of first mention) and finds the problems of its decorators (N1, N2). */
export function planSteps(
  host: PipelineHost,
  methods: DecoratedMethod[],
): { steps: StepPlan[]; problems: string[] } {
  const cls = host.cls.name;
  const problems: string[] = [];
  const steps = new Map<string, StepPlan>();
  const stepOf = (name: string, method: string): StepPlan => {
    let plan = steps.get(name);
    if (!plan) {
      plan = {
        name,
        firstMethod: method,
        handlers: [],
        branches: [],
        otherwise: [],
        before: [],
        after: [],
        options: [],
        skips: [],
        compensations: [],
        subPipelines: new Map(),
      };
      steps.set(name, plan);
    }
    return plan;
  };
  for (const { name: method, metadata: m } of methods) {
    if (!m.step) {
      if (m.when) problems.push(messages.WHEN_WITHOUT_STEP(cls, method));
      if (m.otherwise) problems.push(messages.OTHERWISE_WITHOUT_STEP(cls, method));
      if (m.skipIf) problems.push(messages.SKIP_WITHOUT_STEP(cls, method));
      if (m.subPipeline) problems.push(messages.SUB_PIPELINE_WITHOUT_STEP(cls, method));
    } else {
      const plan = stepOf(m.step.name, method);
      if (m.when && m.otherwise) problems.push(messages.WHEN_AND_OTHERWISE(cls, method));
      else if (m.when) plan.branches.push({ method, when: m.when });
      else if (m.otherwise) plan.otherwise.push(method);
      else if (m.subPipeline) plan.otherwise.push(method);
      else plan.handlers.push(method);
      if (m.step.options) plan.options.push({ method, options: m.step.options });
      if (m.skipIf) plan.skips.push({ method, skip: m.skipIf });
      if (m.subPipeline) plan.subPipelines.set(method, m.subPipeline);
    }
    for (const s of m.before ?? []) stepOf(s, method).before.push(method);
    for (const s of m.after ?? []) stepOf(s, method).after.push(method);
  }
  const known = [...steps.keys()];
  for (const { name: method, metadata: m } of methods) {
    for (const s of m.compensate ?? []) {
      if (steps.has(s)) steps.get(s)!.compensations.push(method);
      else problems.push(messages.COMPENSATE_UNKNOWN_STEP(cls, method, s, known));
    }
  }
  for (const plan of steps.values()) {
    const explicitOtherwise = plan.otherwise.filter(
      (m) => methods.find((x) => x.name === m)?.metadata.otherwise,
    );
    if (explicitOtherwise.length > 0 && plan.branches.length === 0) {
      problems.push(messages.OTHERWISE_WITHOUT_WHEN(cls, explicitOtherwise[0]!, plan.name));
    }
    if (plan.otherwise.length > 1) problems.push(messages.TWO_OTHERWISE(cls, plan.otherwise, plan.name));
    const bareSub = plan.otherwise.find((m) => !methods.find((x) => x.name === m)?.metadata.otherwise);
    if (bareSub && plan.branches.length === 0 && plan.handlers.length > 0) {
      problems.push(messages.SUB_PIPELINE_BESIDE_HANDLERS(cls, bareSub, plan.name));
    }
    if (plan.options.length > 1) {
      problems.push(
        messages.OPTIONS_ON_TWO_METHODS(
          cls,
          plan.options.map((o) => o.method),
          plan.name,
        ),
      );
    }
    if (plan.skips.length > 1)
      problems.push(
        messages.TWO_SKIPS(
          cls,
          plan.skips.map((s) => s.method),
          plan.name,
        ),
      );
    if (plan.compensations.length > 1) {
      problems.push(messages.TWO_COMPENSATIONS(cls, plan.compensations, plan.name));
    }
    for (const dep of plan.options[0]?.options.after ?? []) {
      if (!steps.has(dep))
        problems.push(messages.UNKNOWN_AFTER(cls, plan.options[0]!.method, plan.name, dep, known));
    }
  }
  return { steps: [...steps.values()], problems };
}
