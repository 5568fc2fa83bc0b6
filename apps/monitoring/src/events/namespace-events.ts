import { KubeConfig } from '@kubernetes/client-node';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { eventsResource, watchResource } from '@platform/k8s';
import { gatherSnapshotPages, type GatheredWatchNotice, type ObjectEvent } from '@platform/watch';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { MonitoringConfig } from '../config/monitoring-config';
import { cachedEventOf, type CachedEvent } from './cached-event';
import { relistChanges } from './relist-changes';

/** What an app topic of a namespace gets: its events, compacted. */
type EventNotice = GatheredWatchNotice<ObjectEvent<CachedEvent>, CachedEvent>;

interface SharedWatch {
  items: Map<string, CachedEvent>;
  ready: boolean;
  subscribers: Set<Subscriber<EventNotice>>;
  upstream: Subscription;
  relist: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
}

/**
 * One events watch per namespace, shared by every app topic there (several apps may deploy to
 * one team namespace), so the Kubernetes API sees one watch per namespace however many apps and
 * clients look at it. It keeps the namespace's events (compacted: see CachedEvent) so an app topic that joins later starts
 * from a snapshot, and closes a grace period after its last subscriber. A watch can lose events
 * and still look alive (a stall shorter than the idle timeout, after which it resumes past them),
 * so every EVENTS_RELIST_INTERVAL_MS it is checked against a fresh list and what it missed is
 * delivered as ordinary changes; an event is never forwarded twice at the same version.
 */
@Injectable()
export class NamespaceEvents implements OnModuleDestroy {
  private readonly watches = new Map<string, SharedWatch>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: MonitoringConfig,
  ) {}

  of(namespace: string): Observable<EventNotice> {
    return new Observable((subscriber) => {
      const shared = this.acquire(namespace);
      if (shared.ready) {
        subscriber.next({ kind: 'snapshot', items: [...shared.items.values()], reason: 'initial list' });
      }
      shared.subscribers.add(subscriber);
      return () => {
        shared.subscribers.delete(subscriber);
        if (shared.subscribers.size > 0) return;
        shared.grace = setTimeout(() => this.close(namespace, shared), this.config.streams.graceMs);
        shared.grace.unref();
      };
    });
  }

  onModuleDestroy(): void {
    for (const [namespace, shared] of [...this.watches]) this.close(namespace, shared);
  }

  private acquire(namespace: string): SharedWatch {
    const existing = this.watches.get(namespace);
    if (existing !== undefined) {
      clearTimeout(existing.grace);
      return existing;
    }
    const shared: SharedWatch = {
      items: new Map(),
      ready: false,
      subscribers: new Set(),
      upstream: undefined as unknown as Subscription,
      relist: setInterval(
        () => void this.relist(namespace, shared),
        this.config.streams.eventsRelistIntervalMs,
      ),
    };
    shared.relist.unref();
    this.watches.set(namespace, shared);
    shared.upstream = watchResource(this.kc, eventsResource(this.kc, namespace), {
      idleTimeoutMs: this.config.upstreamTimeouts.idleMs,
      timeoutSeconds: Math.max(1, Math.floor(this.config.upstreamTimeouts.idleMs / 2000)),
    })
      // One namespace's events: few enough to keep whole, and app topics start from all of them.
      .pipe(gatherSnapshotPages())
      .subscribe({
        next: (received) => {
          if (received.kind === 'reconnected' || received.kind === 'resync')
            return this.forward(shared, received);
          if (received.kind === 'snapshot') {
            const items = received.items.map(cachedEventOf);
            shared.items = new Map(items.map((e) => [e.key, e]));
            shared.ready = true;
            return this.forward(shared, { ...received, items });
          }
          const { type } = received.event;
          const event = cachedEventOf(received.event.object);
          const held = shared.items.get(event.key);
          // A relist may have delivered this very version already.
          if (type !== 'DELETED' && held?.resourceVersion === event.resourceVersion) return;
          if (type === 'DELETED') shared.items.delete(event.key);
          else shared.items.set(event.key, event);
          this.forward(shared, { kind: 'event', event: { type, object: event } });
        },
        error: (error: unknown) => {
          this.watches.delete(namespace);
          clearInterval(shared.relist);
          for (const subscriber of [...shared.subscribers]) subscriber.error(error);
        },
      });
    return shared;
  }

  private forward(shared: SharedWatch, notice: EventNotice): void {
    for (const subscriber of [...shared.subscribers]) subscriber.next(notice);
  }

  /** Reconciles the watch's events with a fresh list; a failed list waits for the next round. */
  private async relist(namespace: string, shared: SharedWatch): Promise<void> {
    if (!shared.ready) return;
    let listed: CachedEvent[];
    try {
      listed = (await eventsResource(this.kc, namespace).list({})).items.map(cachedEventOf);
    } catch {
      return;
    }
    if (this.watches.get(namespace) !== shared) return;
    for (const change of relistChanges(shared.items, listed)) {
      if (change.event.type === 'DELETED') shared.items.delete(change.event.object.key);
      else shared.items.set(change.event.object.key, change.event.object);
      this.forward(shared, change);
    }
  }

  private close(namespace: string, shared: SharedWatch): void {
    clearTimeout(shared.grace);
    clearInterval(shared.relist);
    if (this.watches.get(namespace) === shared) this.watches.delete(namespace);
    shared.upstream.unsubscribe();
  }
}
