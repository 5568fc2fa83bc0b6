import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppSummary } from '@platform/domain';
import { createRedisClient, type RedisClient, type RedisSettings } from '@platform/service-runtime';
import { Subject, type Observable } from 'rxjs';
import type { StoredSummary } from '../fold/stored-summary';
import { withStaleness } from '../store/source-health';
import type { SourcesCache } from '../store/sources-cache';
import type { SummaryKeys } from '../store/summary-keys';

export type SummaryChange =
  | { type: 'upsert'; epoch: number; app: string; summary: AppSummary }
  | { type: 'delete'; epoch: number; app: string; team: string };

/** A change as the write scripts publish it (the summary as stored). */
type Published =
  | { type: 'upsert'; epoch: number; app: string; summary: StoredSummary }
  | { type: 'delete'; epoch: number; app: string; team: string };

/**
 * The changes the leader publishes, as every replica sees them: one Redis subscription per
 * process (resubscribed by ioredis after a reconnect), shared by all its SSE clients. Summaries
 * get their stale parts from the sources' state (SourcesCache). A subscribed connection can run
 * no other command, so it is a second client of the same kind as the shared one (in a Redis
 * Cluster, PUBLISH reaches the subscribers of every node).
 */
export class SummaryChanges implements OnApplicationShutdown {
  private readonly logger = new Logger(SummaryChanges.name);
  private readonly subject = new Subject<SummaryChange>();
  private readonly subscriber: RedisClient;

  constructor(
    redis: RedisSettings,
    keys: SummaryKeys,
    private readonly sources: SourcesCache,
  ) {
    this.subscriber = createRedisClient(redis, 'summary-changes', 'subscriber');
    void this.subscriber.subscribe(keys.changes).catch((error: Error) => {
      this.logger.warn(`subscribing to summary changes failed: ${error.message}`);
    });
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
  }

  get changes$(): Observable<SummaryChange> {
    return this.subject.asObservable();
  }

  onApplicationShutdown(): void {
    this.subject.complete();
    this.subscriber.disconnect();
  }

  private receive(message: string): void {
    try {
      const change = JSON.parse(message) as Published;
      this.subject.next(
        change.type === 'upsert'
          ? { ...change, summary: withStaleness(change.summary, this.sources.current()) }
          : change,
      );
    } catch {
      this.logger.warn('ignored a malformed summary change');
    }
  }
}
