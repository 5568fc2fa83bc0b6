import type { FaultConfig, Upstream } from '@platform/sandbox';

/** The upstreams the services call with their own clients; errors are injected there. */
const API_UPSTREAMS: readonly Upstream[] = ['argo', 'argocd', 'kube'];
/**
 * git and the registry are called by the services too, but also by every workflow step: errors
 * there would fail most builds rather than test the services, so they get the latency spikes only.
 */
const ALL_UPSTREAMS: readonly Upstream[] = ['argo', 'argocd', 'kube', 'git', 'registry'];
/** grpc-gateway's internal error for the Argo servers, the API server's 503 for Kubernetes. */
const ERROR_CODES: Partial<Record<Upstream, number>> = { argo: 500, argocd: 503, kube: 500 };

/**
 * The sandbox's fault knobs as layers: a steady base (10 % errors, streams dropped every few
 * seconds) and short overlays (a latency spike, forced 410s) merged into one PUT per upstream.
 */
export class FaultPlan {
  private readonly base = new Map<Upstream, FaultConfig>();
  private readonly overlays = new Map<Upstream, FaultConfig[]>();
  /** What was injected, for the report. */
  readonly log: string[] = [];

  constructor(private readonly adminUrl: string) {}

  async steady(errorRate: number, dropStreamsEverySec: number): Promise<void> {
    for (const upstream of API_UPSTREAMS) {
      this.base.set(upstream, { errorRate, errorCode: ERROR_CODES[upstream], dropStreamsEverySec });
      await this.push(upstream);
    }
    this.log.push(
      `${errorRate * 100} % errors and streams dropped every ${dropStreamsEverySec} s on ${API_UPSTREAMS.join(', ')}`,
    );
  }

  /** `overlay` on `upstreams` for `ms`, then off again (awaits the end). */
  async during(
    upstreams: readonly Upstream[],
    overlay: FaultConfig,
    ms: number,
    what: string,
  ): Promise<void> {
    this.log.push(what);
    for (const upstream of upstreams) {
      this.overlays.set(upstream, [...(this.overlays.get(upstream) ?? []), overlay]);
      await this.push(upstream);
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    for (const upstream of upstreams) {
      this.overlays.set(
        upstream,
        (this.overlays.get(upstream) ?? []).filter((o) => o !== overlay),
      );
      await this.push(upstream);
    }
  }

  /** Every resume from an older resourceVersion is 410 from now on (the watch history is gone). */
  async expireHistory(): Promise<void> {
    this.log.push('watch history expired (410 on every resume)');
    await this.admin('POST', '/admin/expire-history');
  }

  async clear(): Promise<void> {
    this.base.clear();
    this.overlays.clear();
    await this.admin('DELETE', '/admin/faults');
  }

  static get allUpstreams(): readonly Upstream[] {
    return ALL_UPSTREAMS;
  }

  static get apiUpstreams(): readonly Upstream[] {
    return API_UPSTREAMS;
  }

  private async push(upstream: Upstream): Promise<void> {
    const merged: FaultConfig = { ...(this.base.get(upstream) ?? {}) };
    for (const overlay of this.overlays.get(upstream) ?? []) Object.assign(merged, overlay);
    await this.admin('PUT', `/admin/faults/${upstream}`, merged);
  }

  private async admin(method: string, route: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.adminUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  }
}
