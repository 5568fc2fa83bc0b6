import { Module, type DynamicModule } from '@nestjs/common';
import { HttpMetrics, UpstreamClients } from '@platform/service-runtime';
import type { SummaryConfig } from '../config/summary-config';
import { StoreModule } from '../store/store.module';
import { SummaryWriter } from '../store/summary-writer';
import { HttpUpstreamSources } from './http-upstream-sources';
import { LeaderCollector } from './leader-collector';

/** Leader-elected collectors that fold upstream watches into Redis (none on a read-only replica). */
@Module({})
export class CollectorsModule {
  static forConfig(config: SummaryConfig): DynamicModule {
    if (!config.collector.enabled) return { module: CollectorsModule };
    return {
      module: CollectorsModule,
      imports: [StoreModule],
      providers: [
        {
          provide: LeaderCollector,
          inject: [SummaryWriter, HttpMetrics],
          useFactory: (writer: SummaryWriter, metrics: HttpMetrics) => {
            const { upstreams } = config;
            // The collector's calls are made for no request: nothing to cancel them with.
            const clients = new UpstreamClients({
              timeouts: upstreams.timeouts,
              metrics,
              cancelWithRequest: false,
            });
            const kc = clients.kubernetes(upstreams.kube);
            return new LeaderCollector(
              kc,
              new HttpUpstreamSources(upstreams, clients, kc),
              writer,
              config.collector,
            );
          },
        },
      ],
    };
  }
}
