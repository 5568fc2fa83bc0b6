/**
 * The repo server's manifest cache: generated manifests by everything that decides them (commit,
 * source, destination namespace, app name, cluster versions), so a refresh that finds the same
 * commit never runs Helm again; concurrent requests for one key share one generation. Errors are
 * not kept. Least recently used entries go first once `limit` is reached.
 */
export class ManifestCache<T> {
  private readonly entries = new Map<string, T>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly limit = 1000) {}

  /** The cached value of `key`, else what `generate` makes of it (cached on success). */
  async get(key: string, generate: () => Promise<T>, noCache = false): Promise<T> {
    if (!noCache) {
      const known = this.entries.get(key);
      if (known !== undefined) {
        this.entries.delete(key);
        this.entries.set(key, known);
        return known;
      }
      const pending = this.inFlight.get(key);
      if (pending !== undefined) return pending;
    }
    const generation = generate();
    this.inFlight.set(key, generation);
    try {
      const value = await generation;
      this.entries.delete(key);
      this.entries.set(key, value);
      while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value ?? '');
      return value;
    } finally {
      if (this.inFlight.get(key) === generation) this.inFlight.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
