import { KubeConfig } from '@kubernetes/client-node';
import { Global, Module } from '@nestjs/common';
import {
  ArgoCd,
  argoCdAuth,
  ArgoWorkflows,
  argoWorkflowsAuth,
  HttpArgoCd,
  HttpArgoWorkflows,
  HttpTransport,
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
            auth: argoWorkflowsAuth(argo),
            tls: { ca: argo.ca, insecureSkipTlsVerify: argo.insecureSkipTlsVerify },
            contextHeaders: () => RequestContext.headers(),
          }),
          { idleTimeoutMs: streams.upstreamIdleTimeoutMs },
        ),
    },
    {
      provide: ArgoCd,
      inject: [MonitoringConfig],
      useFactory: ({ argocd, streams }: MonitoringConfig): ArgoCd => {
        const base = {
          baseUrl: argocd.url,
          tls: { ca: argocd.ca, insecureSkipTlsVerify: argocd.insecureSkipTlsVerify },
          contextHeaders: () => RequestContext.headers(),
        };
        return new HttpArgoCd(
          new HttpTransport({ ...base, upstream: 'ARGO_CD', auth: argoCdAuth(argocd, base) }),
          {
            idleTimeoutMs: streams.upstreamIdleTimeoutMs,
          },
        );
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
