/** A monotonic clock in milliseconds with sub-millisecond resolution, for durations. */
export const now: () => number = performance.now.bind(performance);
