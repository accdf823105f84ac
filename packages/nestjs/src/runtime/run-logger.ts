import { Inject, Injectable, Logger } from '@nestjs/common';
import { runFailure, type Observer } from '@orka/core';
import { RunErrorClassifier } from '../http/run-error-classifier.js';
import type { OrkaModuleOptions } from '../interfaces/orka-module-options.interface.js';
import { ORKA_MODULE_OPTIONS } from '../orka.constants.js';
import { RUN_FAILED_LOG, RUN_FINISHED_LOG } from '../orka.messages.js';

/**
 * The one component that logs runs (N6), with Nest's `Logger` under the context `Orka`: one line per
 * failed run, at the level the classifier gives it; and with `logRuns`, one verbose line per run that
 * did not fail.
 */
@Injectable()
export class RunLogger {
  private readonly logger = new Logger('Orka');

  constructor(
    @Inject(ORKA_MODULE_OPTIONS) private readonly options: OrkaModuleOptions,
    private readonly classifier: RunErrorClassifier,
  ) {}

  /** The observer that writes the `logRuns` lines, when they are on. */
  runLines(): Observer | undefined {
    if (this.options.logRuns !== true || this.options.logger === false) return undefined;
    return (event) => {
      if (event.type !== 'run.finished' || event.parentRunId !== undefined || event.outcome === 'failed')
        return;
      this.logger.verbose(RUN_FINISHED_LOG(event.runId, event.pipeline, event.outcome, event.durationMs));
    };
  }

  /**
   * The one line of a failed run. A fault is logged at error level with its stack, always. A failure
   * the client caused (answered with a 4xx, such as a duplicate user) is part of the domain: at warn
   * level without stack, unless `logger: false`. Errors that did not come out of a run are not Orka's.
   */
  failed(err: unknown): void {
    const failure = runFailure(err);
    if (!failure) return;
    const line = RUN_FAILED_LOG(failure, err);
    if (this.classifier.logLevel(err) === 'error')
      this.logger.error(line, err instanceof Error ? err.stack : undefined);
    else if (this.options.logger !== false) this.logger.warn(line);
  }
}
