import { Module } from '@nestjs/common';
import {
  ArgoWorkflows,
  FileToken,
  HttpArgoWorkflows,
  HttpTransport,
  StaticToken,
} from '@platform/argo-client';
import { RequestContext } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';

/** The Argo Workflows client, configured from TaskConfig; the request id travels with every call. */
@Module({
  providers: [
    {
      provide: ArgoWorkflows,
      inject: [TaskConfig],
      useFactory: (config: TaskConfig): ArgoWorkflows => {
        const { argo } = config;
        const auth =
          argo.tokenFile !== undefined ? new FileToken(argo.tokenFile) : new StaticToken(argo.token);
        return new HttpArgoWorkflows(
          new HttpTransport({
            upstream: 'ARGO_WORKFLOWS',
            baseUrl: argo.url,
            auth,
            tls: { insecureSkipTlsVerify: argo.insecureSkipTlsVerify },
            contextHeaders: () => RequestContext.headers(),
          }),
        );
      },
    },
  ],
  exports: [ArgoWorkflows],
})
export class ArgoModule {}
