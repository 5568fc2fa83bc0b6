/**
 * Argo's log stream has no cursor: a reopened stream starts from each pod's first line again.
 * Counting what each pod already delivered lets a reopen skip exactly that many, so the client
 * sees every line once.
 */
export class LogDeduplicator {
  private readonly delivered = new Map<string, number>();
  private skip = new Map<string, number>();

  /** A new upstream stream starts: skip what was already delivered. */
  reopened(): void {
    this.skip = new Map(this.delivered);
  }

  /** Whether this entry of `pod` is new. */
  accept(pod: string): boolean {
    const skipping = this.skip.get(pod) ?? 0;
    if (skipping > 0) {
      this.skip.set(pod, skipping - 1);
      return false;
    }
    this.delivered.set(pod, (this.delivered.get(pod) ?? 0) + 1);
    return true;
  }
}
