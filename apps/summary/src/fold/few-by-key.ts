/**
 * A few values by key, kept as one flat array `[key, value, key, value, ...]` and created only
 * once the first value comes. An app has a pod or two, a Deployment and a few tasks, and the
 * leader keeps four of these per app: as Maps (a hash table each, about 260 bytes with one
 * entry) they were a fifth of its heap at 10,000 apps; this is about 60 bytes. Lookups scan the
 * array, which is as fast as hashing at these sizes; an app with hundreds of kept workflows still
 * works, each change costing a scan of them.
 */
export class FewByKey<V> {
  private entries: Array<string | V> | undefined;

  get size(): number {
    return this.entries === undefined ? 0 : this.entries.length / 2;
  }

  get(key: string): V | undefined {
    const index = this.indexOf(key);
    return index < 0 ? undefined : (this.entries?.[index + 1] as V);
  }

  set(key: string, value: V): void {
    const index = this.indexOf(key);
    if (index >= 0) (this.entries as Array<string | V>)[index + 1] = value;
    else if (this.entries === undefined) this.entries = [key, value];
    // A new array of the exact size: push would leave room for 16 more entries in each.
    else if (this.entries.length < 32) this.entries = this.entries.concat([key, value]);
    else this.entries.push(key, value);
  }

  delete(key: string): boolean {
    const index = this.indexOf(key);
    if (index < 0 || this.entries === undefined) return false;
    this.entries.splice(index, 2);
    if (this.entries.length === 0) this.entries = undefined;
    return true;
  }

  clear(): void {
    this.entries = undefined;
  }

  *values(): IterableIterator<V> {
    const entries = this.entries ?? [];
    for (let i = 1; i < entries.length; i += 2) yield entries[i] as V;
  }

  /** Keys with their values, as a copy: the caller may delete while it goes through them. */
  pairs(): Array<[string, V]> {
    const entries = this.entries ?? [];
    const out: Array<[string, V]> = [];
    for (let i = 0; i < entries.length; i += 2) out.push([entries[i] as string, entries[i + 1] as V]);
    return out;
  }

  private indexOf(key: string): number {
    const entries = this.entries;
    if (entries === undefined) return -1;
    for (let i = 0; i < entries.length; i += 2) if (entries[i] === key) return i;
    return -1;
  }
}
