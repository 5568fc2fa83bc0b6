import { EnvDoc, ServiceEnv } from '@platform/service-runtime';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'] };

/** Environment of the monitoring service: its three upstreams and how its streams behave. */
export class MonitoringEnv extends ServiceEnv {
  override PORT = 3002;
  override ROUTE_PREFIX = '/monitoring/v1';

  @EnvDoc('Base URL of the Argo Workflows server (its HTTP API)')
  @IsUrl(URL_OPTIONS, {
    message: 'ARGO_SERVER_URL must be the Argo Workflows server URL, e.g. https://argo-server.argo:2746',
  })
  ARGO_SERVER_URL!: string;

  @EnvDoc('Bearer token for the Argo Workflows server (or use ARGO_TOKEN_FILE)')
  @IsOptional()
  @IsString()
  ARGO_TOKEN?: string;

  @EnvDoc('File holding the Argo Workflows bearer token, re-read when it changes')
  @IsOptional()
  @IsString()
  ARGO_TOKEN_FILE?: string;

  @EnvDoc("Namespace the platform's workflows live in")
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'ARGO_NAMESPACE must be a namespace name' })
  ARGO_NAMESPACE: string = 'argo';

  @EnvDoc('Development only: accept any TLS certificate from the Argo Workflows server')
  @IsBoolean({ message: 'ARGO_INSECURE_SKIP_TLS_VERIFY must be true or false' })
  ARGO_INSECURE_SKIP_TLS_VERIFY: boolean = false;

  @EnvDoc('Base URL of the Argo CD server (its HTTP API)')
  @IsUrl(URL_OPTIONS, {
    message: 'ARGOCD_SERVER_URL must be the Argo CD server URL, e.g. https://argocd-server.argocd',
  })
  ARGOCD_SERVER_URL!: string;

  @EnvDoc('Argo CD user the service logs in as (a read-only account); its password is ARGOCD_PASSWORD')
  @IsString({ message: 'ARGOCD_USERNAME must be the Argo CD account name' })
  ARGOCD_USERNAME: string = 'platform-api-monitoring';

  @EnvDoc('Password of ARGOCD_USERNAME (from a Secret)')
  @IsString({ message: 'ARGOCD_PASSWORD must be set: the password of the Argo CD account' })
  ARGOCD_PASSWORD!: string;

  @EnvDoc('Development only: accept any TLS certificate from the Argo CD server')
  @IsBoolean({ message: 'ARGOCD_INSECURE_SKIP_TLS_VERIFY must be true or false' })
  ARGOCD_INSECURE_SKIP_TLS_VERIFY: boolean = false;

  @EnvDoc('Kubeconfig file for the Kubernetes API; unset in a pod, which uses its service account')
  @IsOptional()
  @IsString()
  KUBECONFIG?: string;

  @EnvDoc('Reconnect delay suggested to browsers in the `retry:` field of every stream')
  @IsInt({ message: 'STREAM_RETRY_MS must be an integer' })
  @Min(100, { message: 'STREAM_RETRY_MS must be between 100 and 60000' })
  @Max(60_000, { message: 'STREAM_RETRY_MS must be between 100 and 60000' })
  STREAM_RETRY_MS: number = 3000;

  @EnvDoc(
    'How long an upstream watch stays open after its last client left, so a reload reuses it (and resumes)',
  )
  @IsInt({ message: 'STREAM_GRACE_MS must be an integer' })
  @Min(0, { message: 'STREAM_GRACE_MS must be >= 0' })
  STREAM_GRACE_MS: number = 10_000;

  @EnvDoc('Events each shared stream keeps for Last-Event-ID resumes; older cursors get a snapshot')
  @IsInt({ message: 'STREAM_REPLAY_EVENTS must be an integer' })
  @Min(10, { message: 'STREAM_REPLAY_EVENTS must be >= 10' })
  STREAM_REPLAY_EVENTS: number = 2000;

  @EnvDoc('Bytes that may wait for one slow client before it gets an `overflow` event and is closed')
  @IsInt({ message: 'STREAM_CLIENT_BUFFER_BYTES must be an integer' })
  @Min(4096, { message: 'STREAM_CLIENT_BUFFER_BYTES must be >= 4096' })
  STREAM_CLIENT_BUFFER_BYTES: number = 1024 * 1024;

  @EnvDoc('An upstream stream silent this long (no event, no keepalive) is presumed dead and reopened')
  @IsInt({ message: 'UPSTREAM_IDLE_TIMEOUT_MS must be an integer' })
  @Min(500, { message: 'UPSTREAM_IDLE_TIMEOUT_MS must be >= 500' })
  UPSTREAM_IDLE_TIMEOUT_MS: number = 40_000;
}
