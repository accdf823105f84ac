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

const headers = {
  gatewayLatencyMs: 'x-gateway-latency-ms',
  gatewayFailureRate: 'x-gateway-failure-rate',
  mailerFailureRate: 'x-mailer-failure-rate',
  mailerFailTimes: 'x-mailer-fail-times',
} as const;

const env = {
  gatewayLatencyMs: 'GATEWAY_LATENCY_MS',
  gatewayFailureRate: 'GATEWAY_FAILURE_RATE',
  mailerFailureRate: 'MAILER_FAILURE_RATE',
  mailerFailTimes: 'MAILER_FAIL_TIMES',
} as const;

/**
 * Reads the faults to inject: the environment gives defaults, and a request header overrides them for
 * that request. The headers are read through `OrkaContext.request`, from inside the steps that call
 * the fakes: the request never has to be passed down.
 */
@Injectable()
export class FaultSettings {
  private readonly defaults: Faults;

  constructor(private readonly orka: OrkaContext) {
    this.defaults = {
      gatewayLatencyMs: num(process.env[env.gatewayLatencyMs], 5),
      gatewayFailureRate: num(process.env[env.gatewayFailureRate], 0),
      mailerFailureRate: num(process.env[env.mailerFailureRate], 0),
      mailerFailTimes: num(process.env[env.mailerFailTimes], 0),
    };
  }

  /** The faults for the current run. */
  current(): Faults {
    const request = this.orka.active
      ? (this.orka.request as { headers?: Record<string, unknown> } | undefined)
      : undefined;
    const h = request?.headers ?? {};
    return {
      gatewayLatencyMs: num(h[headers.gatewayLatencyMs], this.defaults.gatewayLatencyMs),
      gatewayFailureRate: num(h[headers.gatewayFailureRate], this.defaults.gatewayFailureRate),
      mailerFailureRate: num(h[headers.mailerFailureRate], this.defaults.mailerFailureRate),
      mailerFailTimes: num(h[headers.mailerFailTimes], this.defaults.mailerFailTimes),
    };
  }
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
