import { KubeConfig } from '@kubernetes/client-node';
import { Global, Module } from '@nestjs/common';
import {
  ArgoCd,
  ArgoCdSession,
  ArgoWorkflows,
  FileToken,
  HttpArgoCd,
  HttpArgoWorkflows,
  HttpTransport,
  StaticToken,
} from '@platform/argo-client';
import { loadKubeConfig } from '@platform/k8s';
import { RequestContext } from '@platform/service-runtime';
import { MonitoringConfig } from '../config/monitoring-config';

/** The three upstreams the streams read: Argo Workflows, Argo CD and the Kubernetes API. */
@Global()
@Module({
  providers: [
    {
      provide: ArgoWorkflows,
      inject: [MonitoringConfig],
      useFactory: ({ argo, streams }: MonitoringConfig): ArgoWorkflows =>
        new HttpArgoWorkflows(
          new HttpTransport({
            upstream: 'ARGO_WORKFLOWS',
            baseUrl: argo.url,
            auth: argo.tokenFile !== undefined ? new FileToken(argo.tokenFile) : new StaticToken(argo.token),
            tls: { insecureSkipTlsVerify: argo.insecureSkipTlsVerify },
            contextHeaders: () => RequestContext.headers(),
          }),
          { idleTimeoutMs: streams.upstreamIdleTimeoutMs },
        ),
    },
    {
      provide: ArgoCd,
      inject: [MonitoringConfig],
      useFactory: ({ argocd, streams }: MonitoringConfig): ArgoCd => {
        const transport = (auth?: ArgoCdSession): HttpTransport =>
          new HttpTransport({
            upstream: 'ARGO_CD',
            baseUrl: argocd.url,
            auth,
            tls: { insecureSkipTlsVerify: argocd.insecureSkipTlsVerify },
            contextHeaders: () => RequestContext.headers(),
          });
        const session = new ArgoCdSession(transport(), argocd.username, argocd.password);
        return new HttpArgoCd(transport(session), { idleTimeoutMs: streams.upstreamIdleTimeoutMs });
      },
    },
    {
      provide: KubeConfig,
      inject: [MonitoringConfig],
      useFactory: ({ kube }: MonitoringConfig): KubeConfig =>
        loadKubeConfig({ kubeconfigPath: kube.kubeconfigPath }),
    },
  ],
  exports: [ArgoWorkflows, ArgoCd, KubeConfig],
})
export class UpstreamsModule {}
