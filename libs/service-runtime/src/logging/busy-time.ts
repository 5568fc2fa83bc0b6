/** Length of the union of [start, end] intervals: calls made in parallel count once. */
export function busyNanos(intervals: ReadonlyArray<readonly [number, number]>): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}
