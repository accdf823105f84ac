import type { Scope, Type } from '@nestjs/common';

/** Options of `@Pipeline()`. */
export interface PipelineDecoratorOptions {
  /** The pipeline's name in records, events, errors and `runner.run('name', ...)`; the class's name by default. */
  name?: string;
  /**
   * The class of the run's context. The input of every run (sub-runs included) is transformed into an
   * instance of it with class-transformer and validated with class-validator before any step.
   */
  context?: Type<object>;
  /** The provider scope; request-scoped pipelines are resolved per run for the current request. */
  scope?: Scope;
  /** The default time budget of every step of this pipeline, in milliseconds. */
  timeoutMs?: number;
  /** Compensate the completed steps of a cancelled run too, not only of a failed one. */
  compensateOnCancel?: boolean;
  /**
   * The pipeline's steps, in execution order. Recommended: a method that names any other step (a typo
   * such as `@Step('decid')`) is a bootstrap error. Without it, steps run in the order their names
   * first appear on the class's methods.
   */
  steps?: readonly string[];
  /**
   * Without a `steps` list, a conditional step whose name is within two edits of another step's name
   * is a bootstrap error (a typo there silently makes a second conditional step). Set this when both
   * names are meant.
   */
  allowSimilarStepNames?: boolean;
  /**
   * Make runs of this pipeline durable (N11): each step commits to the module's run store, and a run
   * cut off by a crash, a deploy or a restart is taken up again by any process with the same
   * definition. `runner.start`, `result`, `get`, `list`, `cancel` serve it; `runner.run` is `start`
   * then `result`. Request-scoped pipelines cannot be durable (N12).
   */
  durable?: boolean;
  /**
   * The definition's version, part of its hash (D5): a durable run only ever runs on the definition it
   * started with. Change it when a change of the steps must not meet runs started before.
   */
  version?: string;
}
