import type { FanOutItemResult, FanOutPolicy } from '../types/fan-out.js';
import { OrkaError } from './orka-error.js';

/** The results of a `fanOut` did not meet its policy; `results` holds every item's result in input order (K14). */
export class FanOutPolicyError<S = unknown> extends OrkaError {
  readonly code = 'FAN_OUT_POLICY_UNMET';

  constructor(
    /** The pipeline whose step ran the fan-out. */
    readonly pipeline: string,
    /** The step that ran the fan-out. */
    readonly step: string,
    /** The policy that was not met. */
    readonly policy: FanOutPolicy,
    /** Every item's result, in input order. */
    readonly results: FanOutItemResult<S>[],
    /** The signal's reason, when the fan-out was cancelled. */
    cancelledBy?: unknown,
  ) {
    const count = (s: string) => results.filter((r) => r.status === s).length;
    super(
      `Fan-out in step "${step}" of pipeline "${pipeline}" did not meet its policy ${JSON.stringify(policy)}: ` +
        `${count('completed')} completed, ${count('failed')} failed, ${count('stopped')} stopped, ` +
        `${count('cancelled')} cancelled, ${count('not-started')} not started of ${results.length}` +
        (cancelledBy === undefined ? '.' : ' (the run was cancelled).'),
      cancelledBy === undefined ? undefined : { cause: cancelledBy },
    );
  }
}
