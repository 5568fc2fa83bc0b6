import {
  EnvBoolean,
  EnvDoc,
  IsCaFile,
  NoUrlCredentials,
  RedisServiceEnv,
  WithArgoCd,
  WithArgoWorkflows,
  WithUpstreamTimeouts,
} from '@platform/service-runtime';
import { GIT_PROVIDERS, type GitProvider } from '@platform/argo-client';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ARGOCD_CLI_TLS_MODES, type ArgoCdCliTls } from './argocd-cli-tls';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'] };
const NAME_LIST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Environment of the task service: Argo Workflows and Argo CD (shared settings), git, registry, catalog. */
export class TaskEnv extends WithUpstreamTimeouts(WithArgoCd(WithArgoWorkflows(RedisServiceEnv))) {
  override PORT: number = 3001;
  override ROUTE_PREFIX: string = '/task/v1';

  @EnvDoc(
    "How the workflows' argocd CLI connects to the Argo CD server: plaintext (no TLS), insecure (TLS, certificate not verified) or verify (TLS with a certificate the argocd image trusts); default: plaintext for an http:// ARGOCD_SERVER_URL, insecure with ARGOCD_INSECURE_SKIP_TLS_VERIFY, else verify",
  )
  @IsOptional()
  @IsIn(ARGOCD_CLI_TLS_MODES, {
    message: `ARGOCD_WORKFLOW_TLS must be one of ${ARGOCD_CLI_TLS_MODES.join(', ')}`,
  })
  ARGOCD_WORKFLOW_TLS?: ArgoCdCliTls;

  @EnvDoc(
    'Which API the git server speaks: gitea (Gitea or Forgejo, API v1) or gitlab (GitLab, API v4); the create-app workflow creates repositories with it',
  )
  @IsIn(GIT_PROVIDERS, { message: `GIT_PROVIDER must be one of ${GIT_PROVIDERS.join(', ')}` })
  GIT_PROVIDER: GitProvider = 'gitea';

  @EnvDoc(
    'Root URL of the git server (a sub-path allowed): repositories are cloned from <GIT_SERVER_URL>/<team>/<app>.git, its API lives under it',
  )
  @IsUrl(URL_OPTIONS, { message: 'GIT_SERVER_URL must be the git server URL, e.g. https://git.example.com' })
  // It reaches every workflow as a parameter (which whoever may read a task sees): a login in it
  // would be handed out. GIT_TOKEN holds it.
  @NoUrlCredentials()
  GIT_SERVER_URL!: string;

  @EnvDoc(
    "Access token of the platform's git account, sent as Gitea's `Authorization: token` or GitLab's `PRIVATE-TOKEN`",
  )
  @IsOptional()
  @IsString()
  GIT_TOKEN?: string;

  @EnvDoc('Organization (GitLab: group) of the git server holding the template repositories')
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'GIT_TEMPLATES_ORG must be an organization name (a DNS-1123 label), e.g. platform-templates',
  })
  GIT_TEMPLATES_ORG: string = 'platform-templates';

  @EnvDoc(
    "PEM CA bundle that signed the git server's certificate (instead of the system's CAs; mounted from a ConfigMap)",
  )
  @IsOptional()
  @IsCaFile()
  GIT_CA_FILE?: string;

  @EnvDoc('Development only: accept any TLS certificate from the git server')
  @EnvBoolean()
  @IsBoolean({ message: 'GIT_INSECURE_SKIP_TLS_VERIFY must be true or false' })
  GIT_INSECURE_SKIP_TLS_VERIFY: boolean = false;

  @EnvDoc(
    'Registry host images are named with and pushed to, as REGISTRY_HOST/team/app:tag (Harbor: its host)',
  )
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?$/, {
    message: 'REGISTRY_HOST must be a registry host name, optionally with a port, e.g. harbor.example.com',
  })
  REGISTRY_HOST!: string;

  @EnvDoc(
    'Base URL (scheme and host) the service calls the registry at, to ask whether an image was pushed; REGISTRY_HOST stays the name images carry',
  )
  @IsUrl(URL_OPTIONS, { message: 'REGISTRY_URL must be the registry URL, e.g. https://harbor.example.com' })
  // It goes to logs and error messages like every upstream URL: a login in it would be handed out.
  // REGISTRY_USERNAME and REGISTRY_PASSWORD hold it.
  @NoUrlCredentials()
  REGISTRY_URL!: string;

  @EnvDoc("User of the registry's read-only account (Harbor: a robot with pull on every team project)")
  @ValidateIf((env: { REGISTRY_PASSWORD?: string }) => env.REGISTRY_PASSWORD !== undefined)
  @IsString({ message: 'REGISTRY_USERNAME is required with REGISTRY_PASSWORD' })
  REGISTRY_USERNAME?: string;

  @EnvDoc(
    'Password (robot secret) of REGISTRY_USERNAME, from a Secret; without both the registry is asked anonymously',
  )
  @ValidateIf((env: { REGISTRY_USERNAME?: string }) => env.REGISTRY_USERNAME !== undefined)
  @IsString({ message: 'REGISTRY_PASSWORD is required with REGISTRY_USERNAME' })
  REGISTRY_PASSWORD?: string;

  @EnvDoc(
    "PEM CA bundle that signed the registry's certificate (instead of the system's CAs; mounted from a ConfigMap)",
  )
  @IsOptional()
  @IsCaFile()
  REGISTRY_CA_FILE?: string;

  @EnvDoc('Development only: accept any TLS certificate from the registry')
  @EnvBoolean()
  @IsBoolean({ message: 'REGISTRY_INSECURE_SKIP_TLS_VERIFY must be true or false' })
  REGISTRY_INSECURE_SKIP_TLS_VERIFY: boolean = false;

  @EnvDoc('Environments an app can be deployed to, comma-separated; the first is where a new app lands')
  @Matches(NAME_LIST, {
    message: 'ENVIRONMENTS must be comma-separated environment names, e.g. dev,prod',
  })
  ENVIRONMENTS: string = 'dev,prod';

  @EnvDoc(
    'Environments whose deploys (and promotions and rollbacks) wait for an approver, comma-separated; empty: none',
  )
  @Matches(/^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: 'PROTECTED_ENVIRONMENTS must be comma-separated environment names, e.g. prod, or empty',
  })
  PROTECTED_ENVIRONMENTS: string = '';

  @EnvDoc("The identity provider's group whose members approve deploys to protected environments")
  @Matches(/^[^\s,]{1,256}$/, { message: 'APPROVERS_GROUP must be a group name (no spaces or commas)' })
  APPROVERS_GROUP: string = 'platform-approvers';

  @EnvDoc('The app template catalog (YAML), e.g. mounted from a ConfigMap')
  @IsString({ message: 'TEMPLATES_CATALOG_FILE must be the path of the template catalog (catalog.yaml)' })
  TEMPLATES_CATALOG_FILE!: string;

  @EnvDoc('How long an Idempotency-Key is remembered, in seconds')
  @IsInt({ message: 'IDEMPOTENCY_TTL_SECONDS must be a whole number of seconds' })
  @Min(60, { message: 'IDEMPOTENCY_TTL_SECONDS must be between 60 and 604800' })
  @Max(604_800, { message: 'IDEMPOTENCY_TTL_SECONDS must be between 60 and 604800' })
  IDEMPOTENCY_TTL_SECONDS: number = 86_400;

  @EnvDoc('Audit records kept in the Redis stream (older ones are trimmed; the log keeps them all)')
  @IsInt({ message: 'AUDIT_STREAM_MAX_LENGTH must be a whole number' })
  @Min(1000, { message: 'AUDIT_STREAM_MAX_LENGTH must be at least 1000' })
  AUDIT_STREAM_MAX_LENGTH: number = 100_000;
}
