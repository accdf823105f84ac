import { Pipeline, type StepRun } from '@orka/core';

/**
 * The checkout workload of the kernel benchmarks: 10 main steps, the 5th a conditional step that
 * runs one of two 3-step sub-pipelines (vip or standard); every other step is an async function
 * that adds its own delta to `ctx.total`, so a run makes 12 step executions. The deltas are distinct
 * powers of two: a run's total says exactly which steps ran.
 *
 * The same step functions also make a hand-written await chain, so both sides do the same work.
 */
export interface CheckoutCtx {
  id: number;
  vip: boolean;
  total: number;
}

export const MAIN_STEPS = [
  'load_cart',
  'check_stock',
  'price_items',
  'apply_coupon',
  'route_pricing',
  'compute_tax',
  'reserve_inventory',
  'charge_payment',
  'confirm_order',
  'notify',
] as const;
export const ROUTE_INDEX = 4;
export const VIP_STEPS = ['loyalty_discount', 'priority_lane', 'vip_gift'] as const;
export const STANDARD_STEPS = ['standard_discount', 'standard_lane', 'standard_wrap'] as const;
/** Step executions that do work in one run (the conditional step itself only dispatches). */
export const STEP_EXECUTIONS = MAIN_STEPS.length - 1 + VIP_STEPS.length;

export type StepFn = (ctx: CheckoutCtx, run?: StepRun) => Promise<void>;

function addDelta(delta: number): StepFn {
  return async (ctx) => {
    ctx.total += delta;
  };
}

/** Waits for `gate` before adding the delta: makes every run stop at the same place (memory suite). */
function addDeltaAfter(delta: number, gate: Promise<void>): StepFn {
  return async (ctx) => {
    await gate;
    ctx.total += delta;
  };
}

export const isVip = (ctx: CheckoutCtx): boolean => ctx.vip;
export const isStandard = (ctx: CheckoutCtx): boolean => !ctx.vip;

/** Main steps' deltas 2^0..2^9 (index 4 unused), vip 2^10..2^12, standard 2^13..2^15. */
function deltas(): { main: number[]; vip: number[]; standard: number[] } {
  return {
    main: MAIN_STEPS.map((_, i) => 2 ** i),
    vip: VIP_STEPS.map((_, i) => 2 ** (10 + i)),
    standard: STANDARD_STEPS.map((_, i) => 2 ** (13 + i)),
  };
}

/** The total a run must end with, computed without running anything. */
export function expectedTotal(vip: boolean): number {
  const d = deltas();
  const main = d.main.reduce((s, v, i) => (i === ROUTE_INDEX ? s : s + v), 0);
  return main + (vip ? d.vip : d.standard).reduce((s, v) => s + v, 0);
}

/** Alternates vip and standard runs. */
export function newCtx(i: number): CheckoutCtx {
  return { id: i, vip: (i & 1) === 0, total: 0 };
}

/** Reads `run.signal` (as a handler passing it to I/O would) before adding the delta. */
function addDeltaReadingSignal(delta: number): StepFn {
  return async (ctx, run) => {
    if (run?.signal.aborted) throw new Error('aborted');
    ctx.total += delta;
  };
}

export interface WorkloadOptions {
  /** The second step of each sub-flow waits for it (on both sides): every run in flight parks there. */
  gate?: Promise<void>;
  /** The first main step reads `run.signal`, which links a per-run signal to the caller's. */
  readSignal?: boolean;
}

export interface Workload {
  orka: Pipeline<CheckoutCtx>;
  hand: (ctx: CheckoutCtx) => Promise<CheckoutCtx>;
}

/** Builds both sides over the same step functions. */
export function buildWorkload({ gate, readSignal = false }: WorkloadOptions = {}): Workload {
  const d = deltas();
  const main = d.main.map((v, i) => (readSignal && i === 0 ? addDeltaReadingSignal(v) : addDelta(v)));
  const sub = (values: number[]): StepFn[] =>
    values.map((v, i) => (gate !== undefined && i === 1 ? addDeltaAfter(v, gate) : addDelta(v)));
  const vip = sub(d.vip);
  const standard = sub(d.standard);

  const vipPipeline = new Pipeline<CheckoutCtx>('vip_pricing', [...VIP_STEPS]);
  VIP_STEPS.forEach((s, i) => vipPipeline.onStep(s, vip[i]!));
  const standardPipeline = new Pipeline<CheckoutCtx>('standard_pricing', [...STANDARD_STEPS]);
  STANDARD_STEPS.forEach((s, i) => standardPipeline.onStep(s, standard[i]!));

  const orka = new Pipeline<CheckoutCtx>('checkout', [...MAIN_STEPS]);
  MAIN_STEPS.forEach((s, i) => {
    if (i !== ROUTE_INDEX) orka.onStep(s, main[i]!);
  });
  orka
    .conditionalStep(MAIN_STEPS[ROUTE_INDEX])
    .ifCondition(isVip)
    .runSubPipeline(vipPipeline)
    .ifCondition(isStandard)
    .runSubPipeline(standardPipeline)
    .finalize();
  orka.validate();

  // The hand-written chain: the same functions, awaited one after another, the sub-flows as nested
  // async functions, the branch as an if / else if over the same predicates.
  const [v0, v1, v2] = vip as [StepFn, StepFn, StepFn];
  const [s0, s1, s2] = standard as [StepFn, StepFn, StepFn];
  const [m0, m1, m2, m3, , m5, m6, m7, m8, m9] = main as StepFn[];
  const vipChain = async (ctx: CheckoutCtx): Promise<void> => {
    await v0(ctx);
    await v1(ctx);
    await v2(ctx);
  };
  const standardChain = async (ctx: CheckoutCtx): Promise<void> => {
    await s0(ctx);
    await s1(ctx);
    await s2(ctx);
  };
  const hand = async (ctx: CheckoutCtx): Promise<CheckoutCtx> => {
    await m0!(ctx);
    await m1!(ctx);
    await m2!(ctx);
    await m3!(ctx);
    if (isVip(ctx)) await vipChain(ctx);
    else if (isStandard(ctx)) await standardChain(ctx);
    await m5!(ctx);
    await m6!(ctx);
    await m7!(ctx);
    await m8!(ctx);
    await m9!(ctx);
    return ctx;
  };
  return { orka, hand };
}
