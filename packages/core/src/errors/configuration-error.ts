import { OrkaError } from './orka-error.js';

/** One problem of a definition, with the step it concerns when there is one. */
export interface ConfigurationProblem {
  step?: string;
  message: string;
}

/**
 * A pipeline definition is not runnable. `problems` lists every problem found, one line each, so a
 * single failed bootstrap or `validate()` shows everything to fix at once (K4).
 */
export class OrkaConfigurationError extends OrkaError {
  readonly code = 'CONFIGURATION_ERROR';

  /** Every problem found, one human-readable line each. */
  readonly problems: string[];
  /** The same problems with the step each concerns, for tools that map steps back to code. */
  readonly details: ConfigurationProblem[];

  constructor(
    problems: readonly string[],
    subject = 'Orka configuration',
    details?: readonly ConfigurationProblem[],
  ) {
    const list = problems.map((p) => `  - ${p}`).join('\n');
    super(
      problems.length === 1
        ? `${subject} is invalid: ${problems[0]}`
        : `${subject} has ${problems.length} problems:\n${list}`,
    );
    this.problems = [...problems];
    this.details = details ? [...details] : problems.map((message) => ({ message }));
  }
}
