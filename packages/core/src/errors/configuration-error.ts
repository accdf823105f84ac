import { OrkaError } from './orka-error.js';

/** What is wrong, in a word that tools can branch on (the message says it to people). */
export type ConfigurationProblemKind =
  | 'unfinalized-conditional'
  | 'conditional-without-branches'
  | 'step-without-handlers'
  | 'unknown-dependency'
  | 'self-dependency'
  | 'dependency-cycle'
  | 'invalid-timeout'
  | 'invalid-retry'
  | 'sub-pipeline-cycle'
  | 'sub-pipeline-problem'
  | 'duplicate-step'
  | 'duplicate-otherwise'
  | 'conditional-finalized'
  | 'step-already-conditional'
  | 'invalid-run-option'
  | 'invalid-fan-out-option'
  | 'not-a-pipeline'
  | 'run-store'
  | 'wait-without-durable-run';

/**
 * One problem of a definition, as data: its kind, the pipeline and step it concerns, the subject (an
 * unknown step's name, a wrong value) and the message made from them.
 */
export interface ConfigurationProblem {
  kind?: ConfigurationProblemKind;
  /** The pipeline whose definition has the problem. */
  pipeline?: string;
  step?: string;
  /** What the problem is about: the unknown name, the wrong value, the cycle's path. */
  subject?: string;
  message: string;
  /** For a `sub-pipeline-problem`: the sub-pipeline's own problem. */
  cause?: ConfigurationProblem;
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
