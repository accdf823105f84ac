// Type-level tests (compiled by `tsc --noEmit`, never run): RunResult<C> from run(), runStep(),
// runFrom() and runUntil(); result.context is C.
import { Pipeline } from '../../src/index.js';
import type { RunResult } from '../../src/index.js';

function is<T>(value: T): void {
  void value;
}

interface Invoice {
  id: string;
  amount: number;
  paid?: boolean;
}

const invoicing = new Pipeline<Invoice>('invoicing', ['bill', 'collect']);
invoicing.onStep('bill', (ctx) => {
  ctx.amount += 1;
});
invoicing.onStep('collect', (ctx) => {
  ctx.paid = true;
});

export async function positives(): Promise<void> {
  const result = await invoicing.run({ id: 'i-1', amount: 10 });
  is<Invoice>(result.context);
  is<number>(result.context.amount);
  is<boolean | undefined>(result.context.paid);
  is<RunResult<Invoice>>(result);
  is<string>(result.runId);
  is<string>(result.pipeline);
  is<number>(result.durationMs);
  is<'completed' | 'stopped' | 'cancelled'>(result.outcome);
  const first = result.steps[0];
  if (first) {
    is<string>(first.step);
    is<'completed' | 'skipped' | 'stopped' | 'failed' | 'compensated'>(first.status);
    is<number>(first.attempts);
    is<number>(first.durationMs);
  }
  const withOptions = await invoicing.run(
    { id: 'i-2', amount: 1 },
    { signal: new AbortController().signal, runId: 'r', observer: () => {} },
  );
  is<string>(withOptions.context.id);
  is<number>((await invoicing.runStep('bill', { id: 'i', amount: 1 })).context.amount);
  is<number>((await invoicing.runFrom('bill', { id: 'i', amount: 1 })).context.amount);
  is<number>((await invoicing.runUntil('collect', { id: 'i', amount: 1 })).context.amount);
}

export async function negatives(): Promise<void> {
  const result = await invoicing.run({ id: 'i-1', amount: 10 });
  // @ts-expect-error result.context is an Invoice, whose amount is a number
  is<string>(result.context.amount);
  // @ts-expect-error Invoice has no 'nope'
  is<unknown>(result.context.nope);
  // @ts-expect-error a resolved run is completed, stopped or cancelled, never failed
  is<'failed'>(result.outcome);
  // @ts-expect-error a RunResult<Invoice> is not a RunResult of another context type
  is<RunResult<{ other: number }>>(result);
  // @ts-expect-error run takes the pipeline's context type
  await invoicing.run({ id: 'i', amount: 'ten' });
  // @ts-expect-error run takes the pipeline's context type (amount is required)
  await invoicing.run({ id: 'i' });
  // @ts-expect-error partial runs are typed too
  is<string>((await invoicing.runStep('bill', { id: 'i', amount: 1 })).context.amount);
  // @ts-expect-error partial runs take the pipeline's context type
  await invoicing.runFrom('bill', { id: 1, amount: 1 });
}
