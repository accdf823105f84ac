import { OrkaConfigurationError } from '../errors/configuration-error.js';

// What a DurableRunner says when it is used wrong: each message names the call and what to do.

/** A call before `open()` or after `close()`. */
export function runnerNotOpen(what: string, state: 'new' | 'closed'): OrkaConfigurationError {
  const message = `DurableRunner.${what}(): the runner is ${state === 'new' ? 'not open yet: await open() first' : 'closed'}.`;
  return new OrkaConfigurationError([message], 'DurableRunner', [{ kind: 'invalid-run-option', message }]);
}

/** A pipeline the runner was not given. */
export function unknownPipeline(name: string, known: readonly string[]): OrkaConfigurationError {
  const message =
    `DurableRunner knows no pipeline "${name}": list it in the runner's pipelines ` +
    `(known: ${known.map((n) => `"${n}"`).join(', ') || 'none'}).`;
  return new OrkaConfigurationError([message], 'DurableRunner', [
    { kind: 'not-a-pipeline', pipeline: name, message },
  ]);
}
