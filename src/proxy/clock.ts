const ORIGIN = performance.timeOrigin;

/** Epoch microseconds with sub-millisecond resolution, monotonic within the process. */
export function nowMicros(): number {
  return (ORIGIN + performance.now()) * 1000;
}
