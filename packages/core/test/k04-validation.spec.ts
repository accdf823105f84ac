import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop, OrkaError, OrkaConfigurationError, StepNotFoundError } from '../src/index.js';
import { rejectionOf, thrownBy } from './helpers.js';

interface Ctx {
  log: string[];
}

const noop = () => {};

describe('K4 definition-time mistakes throw at the call', () => {
  it('K4 a duplicate step name in the constructor throws OrkaConfigurationError', () => {
    const err = thrownBy(() => new Pipeline<Ctx>('dup', ['a', 'b', 'a']));

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err).toBeInstanceOf(OrkaError);
    expect(err).toBeInstanceOf(Error);
    expect((err as OrkaConfigurationError).code).toBe('CONFIGURATION_ERROR');
    expect((err as Error).message).toContain('a');
  });

  it('K4 insertBefore / insertAfter with a name that already exists throws OrkaConfigurationError', () => {
    const p = new Pipeline<Ctx>('dup-insert', ['a', 'b']);
    expect(thrownBy(() => p.insertAfter('a', 'b'))).toBeInstanceOf(OrkaConfigurationError);
    expect(thrownBy(() => p.insertBefore('b', 'a'))).toBeInstanceOf(OrkaConfigurationError);
    expect(p.stepNames()).toEqual(['a', 'b']);
  });

  const unknownStepCalls: Array<[string, (p: Pipeline<Ctx>) => unknown]> = [
    ['onStep', (p) => p.onStep('ghost', noop)],
    ['beforeStep', (p) => p.beforeStep('ghost', noop)],
    ['afterStep', (p) => p.afterStep('ghost', noop)],
    ['optional', (p) => p.optional('ghost')],
    ['required', (p) => p.required('ghost')],
    ['skipIf', (p) => p.skipIf('ghost', () => true)],
    ['removeStep', (p) => p.removeStep('ghost')],
    ['insertBefore (anchor)', (p) => p.insertBefore('ghost', 'fresh')],
    ['insertAfter (anchor)', (p) => p.insertAfter('ghost', 'fresh')],
    ['conditionalStep', (p) => p.conditionalStep('ghost')],
    ['stepOptions', (p) => p.stepOptions('ghost', {})],
    ['compensate', (p) => p.compensate('ghost', noop)],
  ];

  it.each(unknownStepCalls)(
    'K4 %s on an unknown step throws StepNotFoundError naming the step',
    (_name, call) => {
      const p = new Pipeline<Ctx>('unknown-step', ['a', 'b']);

      const err = thrownBy(() => call(p));

      expect(err).toBeInstanceOf(StepNotFoundError);
      expect(err).toBeInstanceOf(OrkaError);
      expect((err as StepNotFoundError).step).toBe('ghost');
      expect((err as StepNotFoundError).code).toBe('STEP_NOT_FOUND');
      expect((err as Error).message).toContain('ghost');
      expect(p.stepNames()).toEqual(['a', 'b']);
    },
  );

  it('K4 a handler for a step that was removed is a handler for an unknown step', () => {
    const p = new Pipeline<Ctx>('removed', ['a', 'b']);
    p.removeStep('b');
    expect(thrownBy(() => p.onStep('b', noop))).toBeInstanceOf(StepNotFoundError);
  });
});

describe('K4 validate() collects whole-pipeline problems', () => {
  it('K4 validate() returns nothing on a sound pipeline', () => {
    const p = new Pipeline<Ctx>('sound', ['a', 'b']);
    p.onStep('a', noop).afterStep('b', noop);
    expect(p.validate()).toBeUndefined();
  });

  it('K4 a required step without handlers is a problem; problems is a string[] of single lines', () => {
    const p = new Pipeline<Ctx>('one-problem', ['a', 'lonely']);
    p.onStep('a', noop);

    const err = thrownBy(() => p.validate());

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    const problems = (err as OrkaConfigurationError).problems;
    expect(Array.isArray(problems)).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.some((line) => line.includes('lonely'))).toBe(true);
    for (const line of problems) {
      expect(typeof line).toBe('string');
      expect(line).not.toContain('\n');
    }
  });

  it('K4 validate() lists every problem in one OrkaConfigurationError, and the message lists each', () => {
    const p = new Pipeline<Ctx>('many-problems', ['a', 'no_handler_1', 'no_handler_2', 'branchy']);
    p.onStep('a', noop);
    p.conditionalStep('branchy')
      .ifCondition(() => true)
      .runHandler(noop); // never finalized

    const err = thrownBy(() => p.validate()) as OrkaConfigurationError;

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err.problems.length).toBeGreaterThanOrEqual(3);
    for (const step of ['no_handler_1', 'no_handler_2', 'branchy']) {
      expect(err.problems.some((line) => line.includes(step))).toBe(true);
      expect(err.message).toContain(step);
    }
  });

  it('K4 an unfinalized conditional step is a problem even when the step has other handlers', () => {
    const p = new Pipeline<Ctx>('unfinalized', ['route']);
    p.onStep('route', noop);
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runHandler(noop);

    const err = thrownBy(() => p.validate()) as OrkaConfigurationError;

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err.problems.some((line) => line.includes('route'))).toBe(true);
  });

  it('K4 a finalized conditional step counts as a step with handlers', () => {
    const p = new Pipeline<Ctx>('finalized', ['route']);
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runHandler(noop)
      .finalize();
    expect(p.validate()).toBeUndefined();
  });

  it('K4 a cycle of sub-pipelines is a problem', () => {
    const a = new Pipeline<Ctx>('cycle_a', ['to_b']);
    const b = new Pipeline<Ctx>('cycle_b', ['to_a']);
    a.conditionalStep('to_b')
      .ifCondition(() => true)
      .runSubPipeline(b)
      .finalize();
    b.conditionalStep('to_a')
      .ifCondition(() => true)
      .runSubPipeline(a)
      .finalize();

    const err = thrownBy(() => a.validate()) as OrkaConfigurationError;

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err.problems.some((line) => line.includes('cycle_a') && line.includes('cycle_b'))).toBe(true);
  });

  it('K4 a pipeline that uses a sub-pipeline without a cycle validates', () => {
    const leaf = new Pipeline<Ctx>('leaf', ['x']);
    leaf.onStep('x', noop);
    const root = new Pipeline<Ctx>('root', ['call']);
    root
      .conditionalStep('call')
      .ifCondition(() => true)
      .runSubPipeline(leaf)
      .finalize();
    expect(root.validate()).toBeUndefined();
  });

  it('K4 a step inserted with insertAfter starts required: without handlers it fails validate()', () => {
    const p = new Pipeline<Ctx>('inserted', ['a']);
    p.onStep('a', noop).insertAfter('a', 'added');

    const err = thrownBy(() => p.validate()) as OrkaConfigurationError;

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect(err.problems.some((line) => line.includes('added'))).toBe(true);
    p.optional('added');
    expect(p.validate()).toBeUndefined();
  });

  it('K4 optional() followed by required() reverts: the step without handlers is a problem again', async () => {
    const p = new Pipeline<Ctx>('revert', ['a', 'maybe']);
    p.onStep('a', noop).optional('maybe');
    expect(p.validate()).toBeUndefined();

    p.required('maybe');

    expect(thrownBy(() => p.validate())).toBeInstanceOf(OrkaConfigurationError);
    await expect(p.run({ log: [] })).rejects.toBeInstanceOf(OrkaConfigurationError);
  });
});

describe('K4 run validates first, so a broken pipeline never runs half-way', () => {
  it('K4 run rejects with the OrkaConfigurationError of validate() and no handler runs', async () => {
    const p = new Pipeline<Ctx>('broken', ['a', 'b', 'c']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', (c) => {
      c.log.push('a');
    });
    p.onStep('b', (c) => {
      c.log.push('b');
    });
    // 'c' has no handler and is required

    const err = await rejectionOf(p.run(ctx));

    expect(err).toBeInstanceOf(OrkaConfigurationError);
    expect((err as OrkaConfigurationError).problems.some((l) => l.includes('c'))).toBe(true);
    expect(ctx.log).toEqual([]);
  });

  it('K4 an unfinalized conditional step makes run reject before the first step', async () => {
    const p = new Pipeline<Ctx>('broken-branch', ['a', 'route']);
    const ctx: Ctx = { log: [] };
    p.onStep('a', (c) => {
      c.log.push('a');
    });
    p.conditionalStep('route')
      .ifCondition(() => true)
      .runHandler(() => Stop);

    await expect(p.run(ctx)).rejects.toBeInstanceOf(OrkaConfigurationError);
    expect(ctx.log).toEqual([]);
  });
});
