import type { Condition } from '@orka/core';
import type { HandlerMetadata } from '../interfaces/handler-metadata.interface.js';
import type { PipelineHost } from '../interfaces/pipeline-host.interface.js';
import type { StepDecoratorOptions } from '../interfaces/step-options.interface.js';
import type { DecoratedMethod } from './orka-metadata.accessor.js';
import { editDistance } from './edit-distance.js';
import * as messages from '../orka.messages.js';

/** The methods of one step, sorted by role: the step's layout. */
export interface StepLayout {
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
  /** `@WaitFor` and `@Sleep` methods (one at most). */
  waits: { method: string; wait: NonNullable<HandlerMetadata['wait']> }[];
}

function emptyLayout(name: string, firstMethod: string): StepLayout {
  return {
    name,
    firstMethod,
    handlers: [],
    branches: [],
    otherwise: [],
    before: [],
    after: [],
    options: [],
    skips: [],
    compensations: [],
    subPipelines: new Map(),
    waits: [],
  };
}

/** Sorts a class's methods into steps (in order of first mention) and finds the problems of its decorators (N1, N2). */
export function layOutSteps(
  host: PipelineHost,
  methods: DecoratedMethod[],
): { steps: StepLayout[]; problems: string[] } {
  const cls = host.cls.name;
  const problems: string[] = [];
  const steps = new Map<string, StepLayout>();
  const stepOf = (name: string, method: string): StepLayout => {
    let layout = steps.get(name);
    if (!layout) {
      layout = emptyLayout(name, method);
      steps.set(name, layout);
    }
    return layout;
  };
  for (const { name: method, metadata: m } of methods) {
    if (!m.step) {
      if (m.when) problems.push(messages.WHEN_WITHOUT_STEP(cls, method));
      if (m.otherwise) problems.push(messages.OTHERWISE_WITHOUT_STEP(cls, method));
      if (m.skipIf) problems.push(messages.SKIP_WITHOUT_STEP(cls, method));
      if (m.subPipeline) problems.push(messages.SUB_PIPELINE_WITHOUT_STEP(cls, method));
      if (m.wait) problems.push(messages.WAIT_WITHOUT_STEP(cls, method, m.wait.kind));
    } else {
      const layout = stepOf(m.step.name, method);
      if (m.when && m.otherwise) problems.push(messages.WHEN_AND_OTHERWISE(cls, method));
      else if (m.when) layout.branches.push({ method, when: m.when });
      else if (m.otherwise) layout.otherwise.push(method);
      else if (m.subPipeline) layout.otherwise.push(method);
      // A @WaitFor method is called with the signal's payload when it comes, not as a plain handler.
      else if (m.wait?.kind !== 'signal') layout.handlers.push(method);
      if (m.wait) {
        layout.waits.push({ method, wait: m.wait });
        if (host.options.durable !== true)
          problems.push(messages.WAIT_NOT_DURABLE(cls, method, m.wait.kind, host.name));
      }
      if (m.step.options) layout.options.push({ method, options: m.step.options });
      if (m.skipIf) layout.skips.push({ method, skip: m.skipIf });
      if (m.subPipeline) layout.subPipelines.set(method, m.subPipeline);
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
  for (const layout of steps.values()) {
    const explicitOtherwise = layout.otherwise.filter(
      (m) => methods.find((x) => x.name === m)?.metadata.otherwise,
    );
    if (explicitOtherwise.length > 0 && layout.branches.length === 0) {
      problems.push(messages.OTHERWISE_WITHOUT_WHEN(cls, explicitOtherwise[0]!, layout.name));
    }
    if (layout.otherwise.length > 1)
      problems.push(messages.TWO_OTHERWISE(cls, layout.otherwise, layout.name));
    const bareSub = layout.otherwise.find((m) => !methods.find((x) => x.name === m)?.metadata.otherwise);
    if (bareSub && layout.branches.length === 0 && layout.handlers.length > 0) {
      problems.push(messages.SUB_PIPELINE_BESIDE_HANDLERS(cls, bareSub, layout.name));
    }
    if (layout.options.length > 1) {
      problems.push(
        messages.OPTIONS_ON_TWO_METHODS(
          cls,
          layout.options.map((o) => o.method),
          layout.name,
        ),
      );
    }
    if (layout.skips.length > 1)
      problems.push(
        messages.TWO_SKIPS(
          cls,
          layout.skips.map((s) => s.method),
          layout.name,
        ),
      );
    if (layout.waits.length > 1)
      problems.push(
        messages.TWO_WAITS(
          cls,
          layout.waits.map((w) => w.method),
          layout.name,
        ),
      );
    if (layout.compensations.length > 1) {
      problems.push(messages.TWO_COMPENSATIONS(cls, layout.compensations, layout.name));
    }
  }
  const declared = host.options.steps;
  if (declared) return { steps: inDeclaredOrder(cls, declared, steps, methods, problems), problems };
  if (!host.options.allowSimilarStepNames) problems.push(...similarConditionalNames(cls, steps));
  return { steps: [...steps.values()], problems };
}

/**
 * With `@Pipeline({ steps })`, the steps in the listed order (a listed step without methods gets an
 * empty layout, which the kernel reports as a required step without handlers); a method naming a step
 * the list lacks is a problem.
 */
function inDeclaredOrder(
  cls: string,
  declared: readonly string[],
  steps: Map<string, StepLayout>,
  methods: DecoratedMethod[],
  problems: string[],
): StepLayout[] {
  for (const [name, layout] of steps) {
    if (declared.includes(name)) continue;
    const methodsOfStep = methods.filter(({ metadata: m }) => namesOf(m).includes(name)).map((m) => m.name);
    problems.push(
      messages.STEP_NOT_DECLARED(
        cls,
        methodsOfStep.length ? methodsOfStep : [layout.firstMethod],
        name,
        declared,
        closest(name, declared),
      ),
    );
  }
  return declared.map((name) => steps.get(name) ?? emptyLayout(name, declared[0] ?? name));
}

/** Every step name a method's decorators mention. */
function namesOf(m: HandlerMetadata): string[] {
  return [...(m.step ? [m.step.name] : []), ...(m.before ?? []), ...(m.after ?? [])];
}

/** A conditional step named within two edits of another step is most likely a typo of it. */
function similarConditionalNames(cls: string, steps: Map<string, StepLayout>): string[] {
  const problems: string[] = [];
  const names = [...steps.keys()];
  names.forEach((name, i) => {
    const layout = steps.get(name)!;
    if (layout.branches.length === 0 && layout.otherwise.length === 0) return;
    // Reported once per pair, on the step named later: the earlier one is usually the intended name.
    const near = names.find((other, j) => j < i && isNearMiss(name, other));
    if (near !== undefined) problems.push(messages.SIMILAR_STEP_NAMES(cls, layout.firstMethod, name, near));
  });
  return problems;
}

/**
 * Whether two names are within two edits of each other, counted against the shorter name's length
 * (one edit for 3 to 5 characters, none below): `a` and `b` are different names, `decid` is `decide`.
 */
function isNearMiss(a: string, b: string): boolean {
  const allowed = Math.min(2, Math.floor(Math.min(a.length, b.length) / 3));
  return allowed > 0 && editDistance(a, b, allowed) <= allowed;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => isNearMiss(name, c));
}
