import { EnvDoc, RedisServiceEnv } from '@platform/service-runtime';
import { IsBoolean, IsOptional, IsString, IsUrl, Matches } from 'class-validator';

/** Environment of the task service. */
export class TaskEnv extends RedisServiceEnv {
  override PORT: number = 3001;
  override ROUTE_PREFIX: string = '/task/v1';

  @EnvDoc('Base URL of the Argo Workflows server (its HTTP API)')
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'] },
    { message: 'ARGO_SERVER_URL must be the Argo Workflows server URL, e.g. https://argo-server.argo:2746' },
  )
  ARGO_SERVER_URL!: string;

  @EnvDoc('Bearer token for the Argo Workflows server (or use ARGO_TOKEN_FILE)')
  @IsOptional()
  @IsString()
  ARGO_TOKEN?: string;

  @EnvDoc(
    'File holding the Argo Workflows bearer token, re-read when it changes (a mounted Secret or projected token)',
  )
  @IsOptional()
  @IsString()
  ARGO_TOKEN_FILE?: string;

  @EnvDoc("Namespace the platform's workflows and WorkflowTemplates live in")
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'ARGO_NAMESPACE must be a namespace name' })
  ARGO_NAMESPACE: string = 'argo';

  @EnvDoc('Development only: accept any TLS certificate from the Argo server')
  @IsBoolean({ message: 'ARGO_INSECURE_SKIP_TLS_VERIFY must be true or false' })
  ARGO_INSECURE_SKIP_TLS_VERIFY: boolean = false;
}
