/** Polls `condition` (no time limit of its own: jest's test timeout bounds it). */
export async function until(condition: () => boolean, everyMs = 5): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
