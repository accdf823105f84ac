import { describe, it, expect } from '@jest/globals';
import { Pipeline, Stop } from '../src/index.js';
import { asyncDisposeSymbol, disposeSymbol, rejectionOf, sleep } from './helpers.js';

interface Ctx {
  log: string[];
}

describe('K9 run resources', () => {
  it('K9 run.resources.add(x) returns x', async () => {
    const p = new Pipeline<Ctx>('returns', ['a']);
    const conn = { close: () => {} };
    const returned: unknown[] = [];
    p.onStep('a', (_ctx, run) => {
      returned.push(run.resources.add(conn));
    });

    await p.run({ log: [] });

    expect(returned).toHaveLength(1);
    expect(returned[0]).toBe(conn);
  });

  it('K9 Symbol.asyncDispose, Symbol.dispose, close() and dispose() are all released, in reverse order of adding', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('kinds', ['open', 'more']);
    p.onStep('open', (_ctx, run) => {
      run.resources.add({
        async [asyncDisposeSymbol]() {
          await sleep(1);
          log.push('asyncDispose');
        },
      });
      run.resources.add({
        [disposeSymbol]() {
          log.push('dispose symbol');
        },
      });
    });
    p.onStep('more', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('close');
        },
      });
      run.resources.add({
        dispose: () => {
          log.push('dispose method');
        },
      });
    });

    await p.run({ log: [] });

    expect(log).toEqual(['dispose method', 'close', 'dispose symbol', 'asyncDispose']);
  });

  it('K9 resources are released after the finishers', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('after-finishers', ['a']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('closed');
        },
      });
    });
    p.onFinish(() => {
      log.push('finisher 1');
    });
    p.onFinish(async () => {
      await sleep(1);
      log.push('finisher 2');
    });

    await p.run({ log: [] });

    expect(log).toEqual(['finisher 1', 'finisher 2', 'closed']);
  });

  it('K9 an async release is awaited before run resolves; releases happen one at a time in reverse order', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('awaited', ['a']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: async () => {
          await sleep(1);
          log.push('first added');
        },
      });
      run.resources.add({
        close: async () => {
          await sleep(4);
          log.push('second added');
        },
      });
    });

    await p.run({ log: [] });

    expect(log).toEqual(['second added', 'first added']);
  });

  it('K9 resources are not released before the run has ended', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('not-early', ['a', 'b']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('closed');
        },
      });
    });
    p.onStep('b', () => {
      log.push('b ran');
    });

    await p.run({ log: [] });

    expect(log).toEqual(['b ran', 'closed']);
  });

  it('K9 resources are released when the run fails', async () => {
    const log: string[] = [];
    const boom = new Error('fail after open');
    const p = new Pipeline<Ctx>('on-failure', ['a']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('closed');
        },
      });
      throw boom;
    });
    p.onFinish(() => {
      log.push('finished');
    });

    const err = await rejectionOf(p.run({ log: [] }));

    expect(err).toBe(boom);
    expect(log).toEqual(['finished', 'closed']);
  });

  it('K9 resources are released when the run stops', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('on-stop', ['a', 'b']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        [disposeSymbol]: () => {
          log.push('disposed');
        },
      });
      return Stop;
    });
    p.onStep('b', () => {
      log.push('b');
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('stopped');
    expect(log).toEqual(['disposed']);
  });

  it('K9 resources are released when the run is cancelled', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const p = new Pipeline<Ctx>('on-cancel', ['a', 'b']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        dispose: () => {
          log.push('disposed');
        },
      });
      controller.abort();
    });
    p.onStep('b', () => {
      log.push('b');
    });

    const result = await p.run({ log: [] }, { signal: controller.signal });

    expect(result.outcome).toBe('cancelled');
    expect(log).toEqual(['disposed']);
  });

  it('K9 resources are released when a finisher fails a successful run', async () => {
    const log: string[] = [];
    const p = new Pipeline<Ctx>('finisher-fails', ['a']);
    p.onStep('a', (_ctx, run) => {
      run.resources.add({
        close: () => {
          log.push('closed');
        },
      });
    });
    p.onFinish(() => {
      throw new Error('finisher');
    });

    await rejectionOf(p.run({ log: [] }));

    expect(log).toEqual(['closed']);
  });

  it('K9 each resource is released once, and each run releases only its own resources', async () => {
    const released: string[] = [];
    const p = new Pipeline<Ctx & { id: string }>('per-run', ['a']);
    p.onStep('a', (ctx, run) => {
      run.resources.add({
        close: () => {
          released.push(ctx.id);
        },
      });
    });

    await Promise.all([p.run({ log: [], id: 'one' }), p.run({ log: [], id: 'two' })]);

    expect(released.sort()).toEqual(['one', 'two']);
  });

  it('K9 a value without any release method can be added and is left alone', async () => {
    const p = new Pipeline<Ctx>('plain', ['a']);
    const plain = { n: 1 };
    p.onStep('a', (_ctx, run) => {
      run.resources.add(plain);
    });

    const result = await p.run({ log: [] });

    expect(result.outcome).toBe('completed');
    expect(plain).toEqual({ n: 1 });
  });
});
