import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { KubeConfig } from '@kubernetes/client-node';
import { LeaderElector } from '@platform/k8s';
import type { Subscription } from 'rxjs';
import type { CollectorConfig } from '../config/summary-config';
import type { SummaryWriter } from '../store/summary-writer';
import { SummaryCollector } from './summary-collector';
import type { UpstreamSources } from './upstream-sources';

/**
 * Campaigns for the Lease and runs the collector only while this replica leads: it starts on
 * winning and stops the moment leadership is lost (or the renew deadline passes unrenewed).
 * On shutdown the lease is released so that another replica takes over without waiting.
 */
export class LeaderCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaderCollector.name);
  private readonly elector: LeaderElector;
  private readonly collector: SummaryCollector;
  private subscription: Subscription | undefined;

  constructor(kc: KubeConfig, sources: UpstreamSources, writer: SummaryWriter, config: CollectorConfig) {
    const durationMs = config.lease.durationMs;
    this.elector = new LeaderElector(kc, {
      namespace: config.lease.namespace,
      name: config.lease.name,
      identity: config.lease.identity,
      leaseDurationMs: durationMs,
      renewDeadlineMs: Math.round(durationMs * (2 / 3)),
      retryPeriodMs: Math.max(200, Math.round(durationMs / 7)),
      onError: (error) => this.logger.warn(`leader election: ${(error as Error).message}`),
    });
    this.collector = new SummaryCollector(sources, writer, {
      identity: config.lease.identity,
      flushMs: config.flushMs,
      standbyMs: 2 * durationMs,
      isLeader: () => this.elector.isLeader,
    });
  }

  onApplicationBootstrap(): void {
    this.subscription = this.elector.leadership$.subscribe((leading) => {
      if (leading) this.collector.start();
      else this.collector.stop('lost the lease or did not renew it in time');
    });
    this.elector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    this.collector.shutdown();
    await this.elector.stop();
  }
}
