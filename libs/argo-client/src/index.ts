export {
  ArgoWorkflows,
  type SubmitOptions,
  type ListWorkflowsOptions,
  type WatchWorkflowsOptions,
} from './workflows/argo-workflows';
export { HttpArgoWorkflows, type StreamOptions } from './workflows/http-argo-workflows';
export { ArgoCd, type SyncOptions, type WatchApplicationsOptions } from './argocd/argo-cd';
export { HttpArgoCd } from './argocd/http-argo-cd';
export { ArgoCdSession } from './argocd/session-token';
/** The upstream objects this client speaks, from their types-only home. */
export type * from '@platform/upstream-types';
export {
  HttpTransport,
  type TransportOptions,
  type RequestOptions,
  type Query,
  type UpstreamCall,
  type RawResponse,
  type ExchangeOptions,
} from './http/http-transport';
export {
  StaticToken,
  FileToken,
  BasicCredentials,
  AccessToken,
  type TokenProvider,
} from './http/token-provider';
export { upstreamError, isRetryable, type UpstreamName } from './http/upstream-errors';
export { GrpcGatewayStreamParser, StreamProtocolError } from './sse/grpc-gateway-stream-parser';
export type { StreamMessage, StreamErrorPayload } from './sse/stream-message';
export { resilientWatch, type ResilientWatchOptions } from './stream/resilient-watch';
export { streamResults } from './stream/stream-results';
export { type WorkflowPagesOptions, DEFAULT_WORKFLOW_PAGES } from './workflows/workflow-pages';
export {
  GitServer,
  GIT_PROVIDERS,
  type GitProvider,
  type GitRepository,
  type GitOrganization,
  type GitCommit,
} from './git/git-server';
export { GiteaGitServer } from './git/gitea-git-server';
export { GitLabGitServer } from './git/gitlab-git-server';
export { gitServerFor, type GitServerOptions } from './git/git-server-for';
export {
  argoWorkflowsAuth,
  argoCdAuth,
  type ArgoWorkflowsCredentials,
  type ArgoCdCredentials,
} from './http/credentials';
export type { ProbeOptions, ArgoWorkflowsVersion, ArgoCdUserInfo } from './health/upstream-probe';
export { ImageRegistry, type ManifestDescriptor } from './registry/image-registry';
export { HttpImageRegistry } from './registry/http-image-registry';
export { RegistryTokenAuth, type RegistryCredentials } from './registry/registry-token-auth';
export { imageRegistry, type RegistryConnection } from './registry/registry-client';
