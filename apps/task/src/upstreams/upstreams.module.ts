import { Module } from '@nestjs/common';
import {
  ArgoCd,
  ArgoCdSession,
  ArgoWorkflows,
  BasicCredentials,
  FileToken,
  GitServer,
  HttpArgoCd,
  HttpArgoWorkflows,
  HttpGitServer,
  HttpTransport,
  StaticToken,
  type TransportOptions,
} from '@platform/argo-client';
import { HttpMetrics, RequestContext } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';

type Observed = Pick<TransportOptions, 'contextHeaders' | 'onCall'>;

/** Every upstream call carries the request id and is timed into metrics and Server-Timing. */
function observed(metrics: HttpMetrics): Observed {
  return {
    contextHeaders: () => RequestContext.headers(),
    onCall: (call) => metrics.observeUpstream(call),
  };
}

/** The clients of Argo Workflows, Argo CD and the git server, configured from TaskConfig. */
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
            auth: argo.tokenFile !== undefined ? new FileToken(argo.tokenFile) : new StaticToken(argo.token),
            tls: { insecureSkipTlsVerify: argo.insecureSkipTlsVerify },
            ...observed(metrics),
          }),
        ),
    },
    {
      provide: ArgoCd,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ argocd }: TaskConfig, metrics: HttpMetrics): ArgoCd => {
        const base = {
          upstream: 'ARGO_CD' as const,
          baseUrl: argocd.url,
          tls: { insecureSkipTlsVerify: argocd.insecureSkipTlsVerify },
          ...observed(metrics),
        };
        const auth =
          argocd.token !== undefined
            ? new StaticToken(argocd.token)
            : new ArgoCdSession(new HttpTransport(base), argocd.username, argocd.password ?? '');
        return new HttpArgoCd(new HttpTransport({ ...base, auth }));
      },
    },
    {
      provide: GitServer,
      inject: [TaskConfig, HttpMetrics],
      useFactory: ({ git }: TaskConfig, metrics: HttpMetrics): GitServer =>
        new HttpGitServer(
          new HttpTransport({
            upstream: 'GIT',
            baseUrl: git.url,
            auth: git.token === undefined ? undefined : new BasicCredentials(git.username, git.token),
            ...observed(metrics),
          }),
        ),
    },
  ],
  exports: [ArgoWorkflows, ArgoCd, GitServer],
})
export class UpstreamsModule {}
