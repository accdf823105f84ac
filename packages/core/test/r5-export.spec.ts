import { describe, expect, it } from '@jest/globals';
import { Pipeline, Stop } from '../src/index.js';
import type { PipelineDescription } from '../src/index.js';

interface Ctx {
  plan: 'basic' | 'premium' | 'trial';
  userId?: string;
  status?: string;
}
interface Sub {
  userId: string;
  status?: string;
}

class InvalidInput extends Error {}

function provisioning(name: string): Pipeline<Sub> {
  const p = new Pipeline<Sub>(name, ['allocate', 'configure']);
  p.onStep('allocate', () => {});
  p.onStep('configure', () => {});
  return p;
}

/** A pipeline that uses every feature the export shows. */
function onboarding() {
  const basic = provisioning('basic_provisioning');
  const premium = provisioning('premium_provisioning');
  const p = new Pipeline<Ctx>(
    'onboarding',
    ['validate_input', 'create_account', 'load_profile', 'provision', 'send_welcome', 'audit'],
    {
      timeoutMs: 5000,
    },
  );
  p.onStep('validate_input', () => {});
  p.beforeStep('create_account', () => {});
  p.onStep('create_account', () => {});
  p.afterStep('create_account', () => {});
  p.onStep('load_profile', () => {});
  p.conditionalStep('provision')
    .ifCondition((ctx) => ctx.plan === 'basic')
    .runSubPipeline(
      basic,
      (ctx) => ({ userId: ctx.userId! }),
      (ctx, sub) => {
        ctx.status = sub.status;
      },
    )
    .ifCondition((ctx) => ctx.plan === 'premium')
    .runSubPipeline(premium, (ctx) => ({ userId: ctx.userId! }))
    .ifCondition(async (ctx) => ctx.plan === 'trial')
    .runSubPipeline(
      async () => basic,
      (ctx) => ({ userId: ctx.userId! }),
    )
    .ifNoMatch(Stop)
    .finalize();
  p.optional('send_welcome');
  p.skipIf('send_welcome', () => false, 'no email');
  p.onStep('audit', () => {});
  p.stepOptions('create_account', {
    retry: {
      attempts: 3,
      backoff: 'exponential',
      delayMs: 50,
      maxDelayMs: 400,
      jitter: false,
      retryOn: () => true,
    },
    timeoutMs: 2000,
  });
  p.stepOptions('load_profile', { after: ['validate_input'] });
  p.stepOptions('provision', { after: ['create_account', 'load_profile'] });
  p.compensate('create_account', () => {});
  p.onFinish(() => {});
  return p;
}

const jsonRoundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const step = (d: PipelineDescription, name: string) => {
  const s = d.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name} in the description`);
  return s;
};

describe('R5 describe()', () => {
  it('R5 describe() is a JSON-serialisable plain object: a JSON round trip gives an equal object', () => {
    const d = onboarding().describe();

    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(jsonRoundTrip(d)).toEqual(d);
  });

  it('R5 describe() names the pipeline and lists its steps in declared order', () => {
    const d = onboarding().describe();

    expect(d.name).toBe('onboarding');
    expect(d.steps.map((s) => s.name)).toEqual([
      'validate_input',
      'create_account',
      'load_profile',
      'provision',
      'send_welcome',
      'audit',
    ]);
  });

  it('R5 each step shows its effective dependencies in after, the implicit predecessor included', () => {
    const d = onboarding().describe();

    expect(step(d, 'validate_input').after).toEqual([]);
    expect(step(d, 'create_account').after).toEqual(['validate_input']); // implicit
    expect(step(d, 'load_profile').after).toEqual(['validate_input']); // declared
    expect(step(d, 'provision').after).toEqual(['create_account', 'load_profile']); // declared
    expect(step(d, 'send_welcome').after).toEqual(['provision']); // implicit
    expect(step(d, 'audit').after).toEqual(['send_welcome']); // implicit
  });

  it('R5 after: [] shows as no dependencies', () => {
    const p = new Pipeline<Ctx>('roots', ['a', 'b']);
    p.onStep('a', () => {});
    p.onStep('b', () => {});
    p.stepOptions('b', { after: [] });

    expect(p.describe().steps.map((s) => [s.name, s.after])).toEqual([
      ['a', []],
      ['b', []],
    ]);
  });

  it('R5 a conditional step shows its branches and the names of its static sub-pipelines', () => {
    const d = onboarding().describe();
    const provision = step(d, 'provision');

    expect(provision.branches).toHaveLength(3);
    expect(provision.subPipelines).toEqual(['basic_provisioning', 'premium_provisioning']);
    expect(step(d, 'validate_input').branches).toEqual([]);
    expect(step(d, 'validate_input').subPipelines).toEqual([]);
    expect(jsonRoundTrip(provision.branches)).toEqual(provision.branches);
  });

  it('R5 a step shows its retry policy and its time budget (its own, or the pipeline default)', () => {
    const d = onboarding().describe();
    const create = step(d, 'create_account');

    expect(create.retry).toMatchObject({
      attempts: 3,
      backoff: 'exponential',
      delayMs: 50,
      maxDelayMs: 400,
      jitter: false,
    });
    expect(create.timeoutMs).toBe(2000);
    expect(step(d, 'audit').timeoutMs).toBe(5000);
    expect(step(d, 'audit').retry).toBeUndefined();
  });

  it('R5 a step without a time budget has none in the description', () => {
    const p = new Pipeline<Ctx>('no-budget', ['a']);
    p.onStep('a', () => {});

    const a = p.describe().steps[0]!;
    expect(a.timeoutMs).toBeUndefined();
    expect(a.retry).toBeUndefined();
  });

  it('R5 a step shows whether it is optional', () => {
    const d = onboarding().describe();

    expect(step(d, 'send_welcome').optional).toBe(true);
    expect(step(d, 'create_account').optional).toBe(false);
  });

  it('R5 a retry policy with nonRetryable error classes still describes as JSON-serialisable data', () => {
    const p = new Pipeline<Ctx>('non-retryable', ['charge']);
    p.onStep('charge', () => {});
    p.stepOptions('charge', { retry: { attempts: 2, nonRetryable: [InvalidInput, TypeError] } });

    const d = p.describe();

    expect(jsonRoundTrip(d)).toEqual(d);
    expect(step(d, 'charge').retry).toMatchObject({ attempts: 2 });
  });

  it('R5 describe() reflects later changes to the definition, and changing its result does not change the pipeline', () => {
    const p = new Pipeline<Ctx>('live', ['a', 'b']);
    p.onStep('a', () => {});
    p.onStep('b', () => {});

    const before = p.describe();
    before.steps[1]!.after.push('mutated');
    expect(step(p.describe(), 'b').after).toEqual(['a']);

    p.stepOptions('b', { after: [], timeoutMs: 10 });
    const after = p.describe();
    expect(step(after, 'b').after).toEqual([]);
    expect(step(after, 'b').timeoutMs).toBe(10);
  });
});

/** Node ids and their label text, and edges as [from, to] node ids, read from Mermaid flowchart text. */
function parseMermaid(text: string): { labels: Map<string, string>; edges: [string, string][] } {
  const labels = new Map<string, string>();
  const edges: [string, string][] = [];
  const shape = String.raw`(?:\[\[(.*?)\]\]|\[(.*?)\]|\{\{(.*?)\}\}|\{(.*?)\}|\(\((.*?)\)\)|\((.*?)\))`;
  const nodeRef = new RegExp(String.raw`([A-Za-z0-9_]+)\s*${shape}?`, 'g');
  const arrow = /\s*(?:-->|-\.->|==>|---)(?:\|[^|]*\|)?\s*/;
  const record = (m: RegExpExecArray) => {
    const label = m.slice(2).find((x) => x !== undefined);
    if (label !== undefined) labels.set(m[1]!, label.replace(/^"|"$/g, ''));
    return m[1]!;
  };
  for (const raw of text.split('\n').slice(1)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%%') || /^(subgraph|end|classDef|class|style|linkStyle)\b/.test(line))
      continue;
    const parts = line.split(arrow);
    const ids = parts.map((part) => {
      nodeRef.lastIndex = 0;
      const m = nodeRef.exec(part.trim());
      return m ? record(m) : undefined;
    });
    for (let i = 0; i + 1 < ids.length; i++) if (ids[i] && ids[i + 1]) edges.push([ids[i]!, ids[i + 1]!]);
  }
  return { labels, edges };
}

describe('R5 toMermaid()', () => {
  it("R5 toMermaid() is a Mermaid flowchart: it starts with 'flowchart'", () => {
    const text = onboarding().toMermaid();

    expect(typeof text).toBe('string');
    expect(text.startsWith('flowchart')).toBe(true);
  });

  it('R5 toMermaid() contains every step name and the names of the sub-pipelines', () => {
    const text = onboarding().toMermaid();

    for (const name of [
      'validate_input',
      'create_account',
      'load_profile',
      'provision',
      'send_welcome',
      'audit',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('basic_provisioning');
    expect(text).toContain('premium_provisioning');
  });

  it('R5 toMermaid() draws an edge for each dependency, implicit or declared', () => {
    const p = onboarding();
    const { labels, edges } = parseMermaid(p.toMermaid());
    const nodeOf = (name: string) => {
      const ids = [...labels].filter(
        ([, label]) => label === name || label.startsWith(`${name}<`) || label.startsWith(`${name} `),
      );
      expect(ids).toHaveLength(1);
      return ids[0]![0];
    };
    const hasEdge = (from: string, to: string) =>
      edges.some(([a, b]) => a === nodeOf(from) && b === nodeOf(to));

    for (const s of p.describe().steps) {
      for (const dep of s.after) expect([dep, s.name, hasEdge(dep, s.name)]).toEqual([dep, s.name, true]);
    }
    // No edge for a dependency that does not exist: load_profile does not wait for create_account.
    expect(hasEdge('create_account', 'load_profile')).toBe(false);
  });

  it('R5 toMermaid() draws steps that run side by side as siblings, not as a chain', () => {
    const p = new Pipeline<Ctx>('diamond', ['start_here', 'left_side', 'right_side', 'join_here']);
    for (const s of ['start_here', 'left_side', 'right_side', 'join_here']) p.onStep(s, () => {});
    p.stepOptions('right_side', { after: ['start_here'] });
    p.stepOptions('join_here', { after: ['left_side', 'right_side'] });
    const { labels, edges } = parseMermaid(p.toMermaid());
    const id = (name: string) => [...labels].find(([, l]) => l === name || l.startsWith(`${name}<`))![0];
    const pairs = edges.map(([a, b]) => `${labels.get(a) ?? a}->${labels.get(b) ?? b}`);

    expect(edges).toContainEqual([id('start_here'), id('left_side')]);
    expect(edges).toContainEqual([id('start_here'), id('right_side')]);
    expect(edges).toContainEqual([id('left_side'), id('join_here')]);
    expect(edges).toContainEqual([id('right_side'), id('join_here')]);
    expect(pairs).not.toContain('left_side->right_side');
  });

  it('R5 toMermaid() works for a pipeline with one step and no dependencies', () => {
    const p = new Pipeline<Ctx>('single', ['only_step']);
    p.onStep('only_step', () => {});

    const text = p.toMermaid();

    expect(text.startsWith('flowchart')).toBe(true);
    expect(text).toContain('only_step');
  });
});
