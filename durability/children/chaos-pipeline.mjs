import { Pipeline } from '@orka/core';

/**
 * The chaos test's pipeline (S2): a step, two concurrent steps after it (`after`), a step that runs a
 * sub-pipeline, a sleep, a wait for a signal, a last step. `effect(run, what)` is the steps' service.
 */
export function chaosPipelines(effect) {
  const pack = new Pipeline('chaos-pack', ['box', 'label'], { version: '1' });
  pack.onStep('box', (_ctx, run) => effect(run, 'box'));
  pack.onStep('label', (_ctx, run) => effect(run, 'label'));
  const chaos = new Pipeline(
    'chaos',
    ['reserve', 'charge', 'audit', 'ship', 'cool_off', 'approval', 'notify'],
    {
      version: '1',
    },
  );
  chaos.onStep('reserve', (_ctx, run) => effect(run, 'reserve'));
  chaos.onStep('charge', (_ctx, run) => effect(run, 'charge'));
  chaos.onStep('audit', (_ctx, run) => effect(run, 'audit'));
  chaos.stepOptions('audit', { after: ['reserve'] });
  chaos.stepOptions('ship', { after: ['charge', 'audit'] });
  chaos.onStep('ship', (ctx, run) => run.subPipeline(pack, ctx));
  chaos.sleep('cool_off', 150);
  chaos.awaitSignal('approval', 'go', { merge: (ctx, payload) => void (ctx.approvedBy = payload.by) });
  chaos.onStep('notify', (_ctx, run) => effect(run, 'notify'));
  return [chaos, pack];
}

/** The effects one run of it has, by the path of its step. */
export const CHAOS_EFFECTS = [
  'reserve',
  'charge',
  'audit',
  'ship/chaos-pack#1/box',
  'ship/chaos-pack#1/label',
  'notify',
];
