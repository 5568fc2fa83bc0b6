/**
 * Preloaded (`node --expose-gc -r memory-probe.js`) into a server the benchmark forks: on
 * `{ memory: true }` it collects garbage and reports process.memoryUsage(), so memory figures
 * are of live objects, not of garbage not yet collected.
 */
process.on('message', (message: { memory?: boolean }) => {
  if (message.memory !== true) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.send?.({ memory: process.memoryUsage() });
});
