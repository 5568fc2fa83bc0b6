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
  private lapseTimer: NodeJS.Timeout | undefined;
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
    this.stepDownIfLapsed();
    return this.leading.value;
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
    clearTimeout(this.lapseTimer);
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
    this.stepDownIfLapsed();
    let attempt: Attempt;
    try {
      attempt = await this.tryAcquireOrRenew(startedAt);
    } catch (error) {
      this.options.onError?.(error);
      attempt = 'failed';
    }
    if (!this.running) return;
    if (attempt === 'renewed') {
      // Measured from before the request: the conservative end of the renewal. A renewal that
      // itself took longer than the renew deadline does not make this replica leader again: the
      // next one, a retry period later, will.
      this.lastRenewal = startedAt;
      if (performance.now() - startedAt < this.renewDeadlineMs) {
        if (!this.leading.value) this.leading.next(true);
        this.armLapse();
      }
    } else if (this.leading.value) {
      // Another holder or a lost race means we are no longer leader: stop at once. A transient
      // failure is tolerated until the renew deadline, which ends before the lease can expire
      // for anyone else.
      if (attempt === 'lost') {
        clearTimeout(this.lapseTimer);
        this.leading.next(false);
      } else this.stepDownIfLapsed();
    }
    const jitter = this.leading.value ? 0 : Math.random() * this.retryPeriodMs * 0.2;
    this.timer = setTimeout(() => void this.tick(), this.retryPeriodMs + jitter);
  }

  /**
   * Leadership lapses when the renew deadline passes unrenewed, whether a renewal failed or is
   * still waiting for an answer. It is announced (leadership$ emits false) as soon as it lapses,
   * so that the next successful renewal announces leadership again: a lapse noticed only by the
   * `isLeader` getter once left the collector stopped while the elector went on renewing.
   */
  private stepDownIfLapsed(): void {
    if (this.leading.value && performance.now() - this.lastRenewal >= this.renewDeadlineMs) {
      clearTimeout(this.lapseTimer);
      this.leading.next(false);
    }
  }

  private armLapse(): void {
    clearTimeout(this.lapseTimer);
    const remaining = this.lastRenewal + this.renewDeadlineMs - performance.now();
    this.lapseTimer = setTimeout(() => this.stepDownIfLapsed(), Math.max(0, remaining) + 1);
    this.lapseTimer.unref();
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
