/** Epoch microseconds with sub-millisecond resolution, monotonic within the process. */
export function nowMicros(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}
