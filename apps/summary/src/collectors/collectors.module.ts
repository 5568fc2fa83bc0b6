import { Module, type DynamicModule } from '@nestjs/common';
import { loadKubeConfig } from '@platform/k8s';
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
          inject: [SummaryWriter],
          useFactory: (writer: SummaryWriter) => {
            const kc = loadKubeConfig({ kubeconfigPath: config.upstreams.kubeconfigPath });
            return new LeaderCollector(
              kc,
              new HttpUpstreamSources(config.upstreams, kc),
              writer,
              config.collector,
            );
          },
        },
      ],
    };
  }
}
