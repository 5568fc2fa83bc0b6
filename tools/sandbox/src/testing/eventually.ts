/**
 * Polls until `check` stops throwing (an assertion about state reached over real sockets) and
 * rethrows its last failure after `timeoutMs`.
 */
export async function eventually(check: () => void, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
