import { KubeConfig, type CoreV1Event } from '@kubernetes/client-node';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { eventsResource, watchResource, type ResourceNotice } from '@platform/k8s';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { MonitoringConfig } from '../config/monitoring-config';

interface SharedWatch {
  items: Map<string, CoreV1Event>;
  ready: boolean;
  subscribers: Set<Subscriber<ResourceNotice<CoreV1Event>>>;
  upstream: Subscription;
  grace?: NodeJS.Timeout;
}

/**
 * One events watch per namespace, shared by every app topic there (several apps may deploy to
 * one team namespace), so the Kubernetes API sees one watch per namespace however many apps and
 * clients look at it. It keeps the namespace's events so an app topic that joins later starts
 * from a snapshot, and closes a grace period after its last subscriber.
 */
@Injectable()
export class NamespaceEvents implements OnModuleDestroy {
  private readonly watches = new Map<string, SharedWatch>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly config: MonitoringConfig,
  ) {}

  of(namespace: string): Observable<ResourceNotice<CoreV1Event>> {
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
    };
    this.watches.set(namespace, shared);
    shared.upstream = watchResource(this.kc, eventsResource(this.kc, namespace), {
      idleTimeoutMs: this.config.streams.upstreamIdleTimeoutMs,
      timeoutSeconds: Math.max(1, Math.floor(this.config.streams.upstreamIdleTimeoutMs / 2000)),
    }).subscribe({
      next: (notice) => {
        if (notice.kind === 'snapshot') {
          shared.items = new Map(notice.items.map((e) => [keyOf(e), e]));
          shared.ready = true;
        } else if (notice.kind === 'event') {
          if (notice.type === 'DELETED') shared.items.delete(keyOf(notice.object));
          else shared.items.set(keyOf(notice.object), notice.object);
        }
        for (const subscriber of [...shared.subscribers]) subscriber.next(notice);
      },
      error: (error: unknown) => {
        this.watches.delete(namespace);
        for (const subscriber of [...shared.subscribers]) subscriber.error(error);
      },
    });
    return shared;
  }

  private close(namespace: string, shared: SharedWatch): void {
    clearTimeout(shared.grace);
    if (this.watches.get(namespace) === shared) this.watches.delete(namespace);
    shared.upstream.unsubscribe();
  }
}

function keyOf(event: CoreV1Event): string {
  return event.metadata.uid ?? `${event.metadata.namespace ?? ''}/${event.metadata.name ?? ''}`;
}
