import { OrkaConfigurationError } from './configuration-error.js';

/** W5: a pipeline with a wait or a sleep was run without a durable runner (or inside a run that is not durable). */
export function waitsNeedDurable(pipeline: string, step: string): OrkaConfigurationError {
  const message =
    `Pipeline "${pipeline}" waits at step "${step}" (awaitSignal or sleep), and a wait needs a durable run: ` +
    `run it with a DurableRunner (durable.start or durable.run), or, in NestJS, mark it @Pipeline({ durable: true }).`;
  return new OrkaConfigurationError([message], `Pipeline "${pipeline}"`, [
    { kind: 'wait-without-durable-run', pipeline, step, message },
  ]);
}
