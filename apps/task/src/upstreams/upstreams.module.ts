import { Global, Module } from '@nestjs/common';
import {
  ArgoCd,
  argoCdAuth,
  ArgoWorkflows,
  argoWorkflowsAuth,
  GitServer,
  HttpArgoCd,
  HttpArgoWorkflows,
  gitServerFor,
  HttpTransport,
  ImageRegistry,
  imageRegistry,
  type TransportOptions,
} from '@platform/argo-client';
import { HttpMetrics, RequestContext } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';

type Observed = Pick<TransportOptions, 'contextHeaders' | 'contextSignal' | 'onCall'>;

/**
 * Every upstream call carries the request id, is timed into metrics and Server-Timing, and is
 * cancelled when its request runs out of time or its client leaves.
 */
function observed(metrics: HttpMetrics): Observed {
  return {
    contextHeaders: () => RequestContext.headers(),
    contextSignal: () => RequestContext.signal(),
    onCall: (call) => metrics.observeUpstream(call),
  };
}

/**
 * The clients of Argo Workflows, Argo CD, the git server and the registry, configured from TaskConfig. Global so
 * that the readiness checks (provided by the runtime module) reach them too.
 */
@Global()
@Module({
  providers: [
    {
      provide: ArgoWorkflows,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ argo }: TaskConfig, metrics: HttpMetrics): ArgoWorkflows =>
        new HttpArgoWorkflows(
          new HttpTransport({
            upstream: 'ARGO_WORKFLOWS',
            baseUrl: argo.url,
            auth: argoWorkflowsAuth(argo),
            tls: { ca: argo.ca, insecureSkipTlsVerify: argo.insecureSkipTlsVerify },
            ...observed(metrics),
          }),
        ),
    },
    {
      provide: ArgoCd,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ argocd }: TaskConfig, metrics: HttpMetrics): ArgoCd => {
        const base = {
          baseUrl: argocd.url,
          tls: { ca: argocd.ca, insecureSkipTlsVerify: argocd.insecureSkipTlsVerify },
          ...observed(metrics),
        };
        return new HttpArgoCd(
          new HttpTransport({ ...base, upstream: 'ARGO_CD', auth: argoCdAuth(argocd, base) }),
        );
      },
    },
    {
      provide: ImageRegistry,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ registry }: TaskConfig, metrics: HttpMetrics): ImageRegistry =>
        imageRegistry({
          url: registry.url,
          credentials:
            registry.username === undefined || registry.password === undefined
              ? undefined
              : { username: registry.username, password: registry.password },
          tls: { ca: registry.ca, insecureSkipTlsVerify: registry.insecureSkipTlsVerify },
          ...observed(metrics),
        }),
    },
    {
      provide: GitServer,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ git }: TaskConfig, metrics: HttpMetrics): GitServer =>
        gitServerFor({
          provider: git.provider,
          url: git.url,
          token: git.token,
          tls: { ca: git.ca, insecureSkipTlsVerify: git.insecureSkipTlsVerify },
          ...observed(metrics),
        }),
    },
  ],
  exports: [ArgoWorkflows, ArgoCd, GitServer, ImageRegistry],
})
export class UpstreamsModule {}
