export type Upstream = 'kube' | 'argo' | 'argocd' | 'git' | 'registry';
export const UPSTREAMS: readonly Upstream[] = ['kube', 'argo', 'argocd', 'git', 'registry'];

/** What can go wrong with one upstream, set through the admin API. */
export interface FaultConfig {
  /** Share (0..1) of unary requests answered with `errorCode` instead of their result. */
  errorRate?: number;
  errorCode?: number;
  /** Added before every response and every stream's first write. */
  latencyMs?: number;
  /** Open streams are cut (socket destroyed) every N seconds. */
  dropStreamsEverySec?: number;
  /** Watches that resume from a resourceVersion get 410 Expired / "too old". */
  force410?: boolean;
  /** Open and new streams stop sending anything, keepalives included, but stay open. */
  silentStreams?: boolean;
  /**
   * Kubernetes watches silently lose their change events while set, bookmarks still flowing: the
   * stream looks healthy and a client resumes past what it never got, as after a short stall.
   */
  dropWatchEvents?: boolean;
}

/** An open stream the sandbox can cut or silence. */
export interface TrackedStream {
  upstream: Upstream;
  path: string;
  /** Destroys the connection without a clean end, as a network drop does. */
  drop(): void;
}

/**
 * Per-upstream fault knobs and the registry of open streams (whose count the tests assert to prove
 * that clients release connections).
 */
export class FaultInjector {
  private readonly configs = new Map<Upstream, FaultConfig>();
  private readonly streams = new Set<TrackedStream>();
  private readonly droppers = new Map<Upstream, NodeJS.Timeout>();

  get(upstream: Upstream): FaultConfig {
    return this.configs.get(upstream) ?? {};
  }

  set(upstream: Upstream, config: FaultConfig): void {
    this.configs.set(upstream, config);
    const previous = this.droppers.get(upstream);
    if (previous !== undefined) clearInterval(previous);
    this.droppers.delete(upstream);
    if (config.dropStreamsEverySec !== undefined && config.dropStreamsEverySec > 0) {
      const timer = setInterval(() => this.dropStreams(upstream), config.dropStreamsEverySec * 1000);
      timer.unref();
      this.droppers.set(upstream, timer);
    }
  }

  clear(): void {
    for (const upstream of [...this.configs.keys()]) this.set(upstream, {});
    this.configs.clear();
  }

  /** True when this unary request should fail (by the configured rate). */
  shouldFail(upstream: Upstream): boolean {
    const rate = this.get(upstream).errorRate ?? 0;
    return rate > 0 && Math.random() < rate;
  }

  async delay(upstream: Upstream): Promise<void> {
    const ms = this.get(upstream).latencyMs ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  track(stream: TrackedStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  openStreams(upstream?: Upstream): TrackedStream[] {
    return [...this.streams].filter((s) => upstream === undefined || s.upstream === upstream);
  }

  dropStreams(upstream?: Upstream): number {
    const victims = this.openStreams(upstream);
    for (const stream of victims) stream.drop();
    return victims.length;
  }
}
