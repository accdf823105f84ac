import { OrkaError } from './orka-error.js';

/**
 * A pipeline definition is not runnable. `problems` lists every problem found, one line each, so a
 * single failed bootstrap or `validate()` shows everything to fix at once (K4).
 */
export class OrkaConfigurationError extends OrkaError {
  readonly code = 'CONFIGURATION_ERROR';

  /** Every problem found, one human-readable line each. */
  readonly problems: string[];

  constructor(problems: readonly string[], subject = 'Orka configuration') {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super(
      problems.length === 1
        ? `${subject} is invalid: ${problems[0]}`
        : `${subject} has ${problems.length} problems:\n${list}`,
    );
    this.problems = [...problems];
  }
}
