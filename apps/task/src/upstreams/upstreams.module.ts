import { Global, Module } from '@nestjs/common';
import { ArgoCd, ArgoWorkflows, GitServer, ImageRegistry } from '@platform/argo-client';
import { HttpMetrics, UpstreamClients } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';

/**
 * The clients of Argo Workflows, Argo CD, the git server and the registry, configured from TaskConfig. Global so
 * that the readiness checks (provided by the runtime module) reach them too.
 */
@Global()
@Module({
  providers: [
    {
      provide: UpstreamClients,
      inject: [TaskConfig, HttpMetrics],
      // Every call is made for one request, and cancelled when that request runs out of time or its client leaves.
      useFactory: ({ upstreamTimeouts }: TaskConfig, metrics: HttpMetrics): UpstreamClients =>
        new UpstreamClients({ timeouts: upstreamTimeouts, metrics, cancelWithRequest: true }),
    },
    {
      provide: ArgoWorkflows,
      inject: [TaskConfig, UpstreamClients],
      useFactory: ({ argo }: TaskConfig, upstreams: UpstreamClients): ArgoWorkflows =>
        upstreams.argoWorkflows(argo),
    },
    {
      provide: ArgoCd,
      inject: [TaskConfig, UpstreamClients],
      useFactory: ({ argocd }: TaskConfig, upstreams: UpstreamClients): ArgoCd => upstreams.argoCd(argocd),
    },
    {
      provide: ImageRegistry,
      inject: [TaskConfig, UpstreamClients],
      useFactory: ({ registry }: TaskConfig, upstreams: UpstreamClients): ImageRegistry =>
        upstreams.imageRegistry(registry),
    },
    {
      provide: GitServer,
      inject: [TaskConfig, UpstreamClients],
      useFactory: ({ git }: TaskConfig, upstreams: UpstreamClients): GitServer => upstreams.gitServer(git),
    },
  ],
  exports: [ArgoWorkflows, ArgoCd, GitServer, ImageRegistry],
})
export class UpstreamsModule {}
