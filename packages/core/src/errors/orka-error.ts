/**
 * Base class of every error that Orka itself raises. `code` is stable across releases and is the
 * value to branch on (or to show to API clients); messages may be reworded.
 */
export abstract class OrkaError extends Error {
  /** A stable, machine-readable identifier of the kind of failure, such as `STEP_TIMEOUT`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The subclass's name rather than "Error", also after minification of the class name is unlikely
    // to matter here: the class is exported under this name.
    this.name = new.target.name;
  }
}
