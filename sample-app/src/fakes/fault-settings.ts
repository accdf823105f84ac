import { Injectable } from '@nestjs/common';
import { OrkaContext } from '@orka/nestjs';

/** Latency and failures of the fake gateways and mailer, to show retries, timeouts and compensation on demand. */
export interface Faults {
  /** Added latency of every gateway call, in ms. */
  gatewayLatencyMs: number;
  /** Chance (0 to 1) that a gateway call fails with a transient error (retried). */
  gatewayFailureRate: number;
  /** Chance (0 to 1) that sending a mail fails with a transient error (retried). */
  mailerFailureRate: number;
  /** The first N mail attempts of a run fail (a deterministic way to see retries). */
  mailerFailTimes: number;
}

interface FaultSpec {
  header: string;
  env: string;
  fallback: number;
  max: number;
  integer: boolean;
  unit: string;
}

/** Each fault, where it is set, and the values it takes. */
export const faultSpecs: Record<keyof Faults, FaultSpec> = {
  gatewayLatencyMs: {
    header: 'x-gateway-latency-ms',
    env: 'GATEWAY_LATENCY_MS',
    fallback: 5,
    max: 60_000,
    integer: false,
    unit: 'milliseconds',
  },
  gatewayFailureRate: {
    header: 'x-gateway-failure-rate',
    env: 'GATEWAY_FAILURE_RATE',
    fallback: 0,
    max: 1,
    integer: false,
    unit: 'a probability',
  },
  mailerFailureRate: {
    header: 'x-mailer-failure-rate',
    env: 'MAILER_FAILURE_RATE',
    fallback: 0,
    max: 1,
    integer: false,
    unit: 'a probability',
  },
  mailerFailTimes: {
    header: 'x-mailer-fail-times',
    env: 'MAILER_FAIL_TIMES',
    fallback: 0,
    max: 100,
    integer: true,
    unit: 'a count of attempts',
  },
};

/**
 * A fault setting's value, or the reason it is not one: a number from 0 to the setting's maximum
 * (whole for counts). Absent or blank means "not set".
 */
export function parseFault(spec: FaultSpec, raw: unknown): number | undefined | { invalid: string } {
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const n = typeof raw === 'string' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > spec.max || (spec.integer && !Number.isInteger(n))) {
    const kind = spec.integer ? 'a whole number' : 'a number';
    return {
      invalid: `${spec.header} must be ${kind} from 0 to ${spec.max} (${spec.unit}), got ${JSON.stringify(raw)}`,
    };
  }
  return n;
}

/**
 * Reads the faults to inject: the environment gives defaults, and a request header overrides them for
 * that request. The headers are read through `OrkaContext.request`, from inside the steps that call
 * the fakes: the request never has to be passed down. Header values are checked before any run
 * starts (`FaultHeadersMiddleware`), environment values when the app starts.
 */
@Injectable()
export class FaultSettings {
  private readonly defaults: Faults;

  constructor(private readonly orka: OrkaContext<{ headers?: Record<string, unknown> }>) {
    const defaults = {} as Faults;
    for (const [name, spec] of Object.entries(faultSpecs) as [keyof Faults, FaultSpec][]) {
      const value = parseFault(spec, process.env[spec.env]);
      if (typeof value === 'object')
        throw new Error(`${spec.env}: ${value.invalid.slice(spec.header.length + 1)}`);
      defaults[name] = value ?? spec.fallback;
    }
    this.defaults = defaults;
  }

  /** The faults for the current run. */
  current(): Faults {
    const h = (this.orka.active ? this.orka.request?.headers : undefined) ?? {};
    const faults = { ...this.defaults };
    for (const [name, spec] of Object.entries(faultSpecs) as [keyof Faults, FaultSpec][]) {
      const value = parseFault(spec, h[spec.header]);
      if (typeof value === 'number') faults[name] = value;
    }
    return faults;
  }
}
