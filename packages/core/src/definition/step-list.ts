import { OrkaConfigurationError } from '../errors/configuration-error.js';
import { StepNotFoundError } from '../errors/step-not-found-error.js';
import { newStep, type PipelineDefinition, type StepDefinition } from './definition.js';

/**
 * A definition's steps with an index by name: what the builder's edits (`insertBefore`, `removeStep`,
 * a handler for a step) go through. Mistakes throw at the call that makes them (K4).
 */
export class StepList<C> {
  private readonly index = new Map<string, StepDefinition<C>>();

  constructor(
    private readonly definition: PipelineDefinition<C>,
    names: readonly string[],
  ) {
    const duplicate = names.find((s, i) => names.indexOf(s) !== i);
    if (duplicate !== undefined) this.duplicate(duplicate, 'declares step', 'more than once');
    for (const name of names) this.addAt(definition.steps.length, name);
  }

  /** The step names, in execution order. */
  names(): string[] {
    return this.definition.steps.map((s) => s.name);
  }

  /** The step named `name`; throws `StepNotFoundError` when there is none. */
  get(name: string): StepDefinition<C> {
    const def = this.index.get(name);
    if (!def) throw new StepNotFoundError(this.definition.name, name, this.names());
    return def;
  }

  /** Inserts a new step `name` before (`offset` 0) or after (1) the step `anchor`. */
  insert(anchor: string, name: string, offset: 0 | 1): void {
    const at = this.definition.steps.indexOf(this.get(anchor)) + offset;
    if (this.index.has(name)) this.duplicate(name, 'already has a step', '');
    this.addAt(at, name);
  }

  /** Removes a step and everything registered on it. */
  remove(name: string): void {
    const def = this.get(name);
    this.definition.steps.splice(this.definition.steps.indexOf(def), 1);
    this.index.delete(name);
  }

  private addAt(at: number, name: string): void {
    const def = newStep<C>(name);
    this.definition.steps.splice(at, 0, def);
    this.index.set(name, def);
  }

  private duplicate(name: string, verb: string, tail: string): never {
    const pipeline = this.definition.name;
    const message = `Pipeline "${pipeline}" ${verb} "${name}"${tail ? ` ${tail}` : ''}: step names must be unique.`;
    throw new OrkaConfigurationError([message], `Pipeline "${pipeline}"`, [
      { kind: 'duplicate-step', pipeline, step: name, subject: name, message },
    ]);
  }
}
