/**
 * The Redis keys of the summary (see apps/summary/README.md). Every key starts with the
 * configured prefix, whose {hash tag} puts them all in one Redis Cluster slot: the Lua scripts
 * read and write several of them atomically.
 */
export class SummaryKeys {
  constructor(readonly prefix: string) {}

  get leader(): string {
    return `${this.prefix}leader`;
  }
  get nameIndex(): string {
    return `${this.prefix}idx:name`;
  }
  get sources(): string {
    return `${this.prefix}sources`;
  }
  get stats(): string {
    return `${this.prefix}stats`;
  }
  /** Counters per environment (`<environment>|apps`, `<environment>|<dim>|<value>`). */
  get environmentStats(): string {
    return `${this.prefix}envstats`;
  }
  get meta(): string {
    return `${this.prefix}meta`;
  }
  get changes(): string {
    return `${this.prefix}changes`;
  }
  app(name: string): string {
    return `${this.prefix}app:${name}`;
  }
}
