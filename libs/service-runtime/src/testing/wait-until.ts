/** Retries `check` until it resolves, rethrowing its last failure after `timeoutMs`. */
export async function waitUntil<T>(check: () => Promise<T>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
