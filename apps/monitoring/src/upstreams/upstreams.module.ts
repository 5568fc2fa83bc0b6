import { KubeConfig } from '@kubernetes/client-node';
import { Global, Module } from '@nestjs/common';
import { ArgoCd, ArgoWorkflows } from '@platform/argo-client';
import { HttpMetrics, UpstreamClients } from '@platform/service-runtime';
import { MonitoringConfig } from '../config/monitoring-config';

/** The three upstreams the streams read: Argo Workflows, Argo CD and the Kubernetes API. */
@Global()
@Module({
  providers: [
    {
      provide: UpstreamClients,
      inject: [MonitoringConfig, HttpMetrics],
      // A topic's watch is shared by every client of it: the request that opened it may end long
      // before the watch does, so calls are not cancelled with their request.
      useFactory: ({ upstreamTimeouts }: MonitoringConfig, metrics: HttpMetrics): UpstreamClients =>
        new UpstreamClients({ timeouts: upstreamTimeouts, metrics, cancelWithRequest: false }),
    },
    {
      provide: ArgoWorkflows,
      inject: [MonitoringConfig, UpstreamClients],
      useFactory: ({ argo }: MonitoringConfig, upstreams: UpstreamClients): ArgoWorkflows =>
        upstreams.argoWorkflows(argo),
    },
    {
      provide: ArgoCd,
      inject: [MonitoringConfig, UpstreamClients],
      useFactory: ({ argocd }: MonitoringConfig, upstreams: UpstreamClients): ArgoCd =>
        upstreams.argoCd(argocd),
    },
    {
      provide: KubeConfig,
      inject: [MonitoringConfig, UpstreamClients],
      useFactory: ({ kube }: MonitoringConfig, upstreams: UpstreamClients): KubeConfig =>
        upstreams.kubernetes(kube),
    },
  ],
  exports: [ArgoWorkflows, ArgoCd, KubeConfig],
})
export class UpstreamsModule {}
