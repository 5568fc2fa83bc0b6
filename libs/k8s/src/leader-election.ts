import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';

export interface LeaderElectionOptions {
  namespace: string;
  /** Name of the Lease object, e.g. `summary-collector`. */
  name: string;
  /** This replica's identity (the pod name). */
  identity: string;
  /** How long a lease is valid after its last renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down (must be < leaseDuration). Default 10 s. */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew. Default 2 s. */
  retryPeriodMs?: number;
  /** Called on every failed attempt (for logs); never throws. */
  onError?: (error: unknown) => void;
}

type Attempt = 'renewed' | 'lost' | 'failed';

interface Observed {
  key: string;
  at: number;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: acquire when the lease
 * is free or expired, renew every retry period with the resourceVersion read (a 409 means another
 * replica won), step down as soon as renewals fail for longer than the renew deadline, release on
 * stop. Expiry is judged by when THIS replica last saw the lease record change (on its own
 * monotonic clock), never by comparing the holder's renewTime with the local wall clock.
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly leading = new BehaviorSubject(false);
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: Observed | undefined;
  private lastRenewal = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    kc: KubeConfig,
    private readonly options: LeaderElectionOptions,
  ) {
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
  }

  /** `true` while this replica leads; emits only on change. */
  get leadership$(): Observable<boolean> {
    return this.leading.pipe(distinctUntilChanged());
  }

  /**
   * Whether this replica may act as leader right now. Checked against the renew deadline on the
   * local monotonic clock, so a process that was paused (GC, CPU starvation) knows at once that
   * its leadership may have lapsed, before its next renewal attempt says so.
   */
  get isLeader(): boolean {
    return this.leading.value && performance.now() - this.lastRenewal < this.renewDeadlineMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  /** Stops campaigning; a leader releases the lease so a successor need not wait for it to expire. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    if (!this.leading.value) return;
    this.leading.next(false);
    try {
      const lease = await this.api.readNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
      });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      lease.spec = {
        ...lease.spec,
        holderIdentity: undefined,
        leaseDurationSeconds: 1,
        renewTime: new V1MicroTime(),
      };
      await this.api.replaceNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
        body: lease,
      });
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const startedAt = performance.now();
    if (this.leading.value && startedAt - this.lastRenewal >= this.renewDeadlineMs) this.leading.next(false);
    let attempt: Attempt;
    try {
      attempt = await this.tryAcquireOrRenew(startedAt);
    } catch (error) {
      this.options.onError?.(error);
      attempt = 'failed';
    }
    if (!this.running) return;
    if (attempt === 'renewed') {
      // A renewal that came back after the renew deadline: isLeader was false meanwhile, and
      // whoever stopped on that must hear that leadership ended and began again, or it would
      // wait for a `true` that never comes while this replica keeps renewing the lease.
      if (this.leading.value && performance.now() - this.lastRenewal >= this.renewDeadlineMs) {
        this.leading.next(false);
      }
      // Measured from before the request: the conservative end of the renewal.
      this.lastRenewal = startedAt;
      if (!this.leading.value) this.leading.next(true);
    } else if (this.leading.value) {
      // Another holder or a lost race means we are no longer leader: stop at once. A transient
      // failure is tolerated until the renew deadline, which ends before the lease can expire
      // for anyone else.
      const deadlinePassed = performance.now() - this.lastRenewal >= this.renewDeadlineMs;
      if (attempt === 'lost' || deadlinePassed) this.leading.next(false);
    }
    const jitter = this.leading.value ? 0 : Math.random() * this.retryPeriodMs * 0.2;
    this.timer = setTimeout(() => void this.tick(), this.retryPeriodMs + jitter);
  }

  private async tryAcquireOrRenew(now: number): Promise<Attempt> {
    const { name, namespace, identity } = this.options;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      try {
        await this.api.createNamespacedLease({ namespace, body: this.newLease(undefined) });
      } catch (createError) {
        if ((createError as { code?: number }).code === 409) return 'lost';
        throw createError;
      }
      return 'renewed';
    }
    const holder = lease.spec?.holderIdentity ?? '';
    this.observe(`${holder}|${lease.metadata?.resourceVersion ?? ''}`, now);
    const durationMs = (lease.spec?.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
    const expired = holder === '' || now - (this.observed?.at ?? now) >= durationMs;
    if (holder !== identity && !expired) return 'lost';
    try {
      await this.api.replaceNamespacedLease({ name, namespace, body: this.newLease(lease) });
      return 'renewed';
    } catch (error) {
      if ((error as { code?: number }).code === 409) return 'lost';
      throw error;
    }
  }

  private newLease(current: V1Lease | undefined): V1Lease {
    const now = new V1MicroTime();
    const holder = current?.spec?.holderIdentity;
    const takingOver = holder !== this.options.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...current?.metadata, name: this.options.name, namespace: this.options.namespace },
      spec: {
        holderIdentity: this.options.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: takingOver ? now : current?.spec?.acquireTime,
        renewTime: now,
        leaseTransitions:
          (current?.spec?.leaseTransitions ?? 0) + (current !== undefined && takingOver && holder ? 1 : 0),
      },
    };
  }

  private observe(key: string, now: number): void {
    if (this.observed?.key !== key) this.observed = { key, at: now };
  }
}
