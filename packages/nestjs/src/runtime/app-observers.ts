import { combineObservers, type Observer } from '@orka/core';

/** The application's observers of every run (`forRoot({ observers })`, `runner.observe`, run lines). */
export class AppObservers {
  private readonly list: Observer[];

  constructor(initial: readonly Observer[]) {
    this.list = [...initial];
  }

  /** Adds one until the returned function is called. */
  add(observer: Observer): () => void {
    this.list.push(observer);
    return () => {
      const i = this.list.indexOf(observer);
      if (i !== -1) this.list.splice(i, 1);
    };
  }

  /**
   * The observer of a run: its own with the application's, each isolated (one that throws does not
   * keep the others from an event); undefined when there is none.
   */
  with(own: Observer | undefined): Observer | undefined {
    return this.list.length === 0 ? own : combineObservers(own, ...this.list);
  }
}
