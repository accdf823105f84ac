/** A promise with its resolve function, for an answer that an event gives later. */
export class Deferred<T = undefined> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;

  constructor() {
    this.promise = new Promise<T>((resolve) => (this.resolve = resolve));
  }
}
