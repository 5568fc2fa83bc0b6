import {
  argoCdSettings,
  argoWorkflowsSettings,
  caBundle,
  ConfigValidationError,
  loadEnv,
  redisSettings,
  RuntimeConfig,
  SettingsClass,
  toRuntimeConfig,
  upstreamTimeouts,
  type ArgoCdSettings,
  type ArgoWorkflowsSettings,
  type GitConnectionSettings,
  type RedisSettings,
  type RegistryConnectionSettings,
  type UpstreamTimeouts,
} from '@platform/service-runtime';
import fs from 'node:fs';
import { CatalogError, parseCatalog, type TemplateCatalog } from '../templates/catalog';
import { argocdTlsFlag } from './argocd-cli-tls';
import { TaskEnv } from './task-env';

export const SERVICE_NAME = 'task';

export interface ArgoCdConnection extends ArgoCdSettings {
  /** host[:port] as the argocd CLI in the workflows takes it. */
  server: string;
  /** The argocd CLI's TLS flag for the workflows (their `argocd-tls` parameter). */
  cliTlsFlag: '' | '--insecure' | '--plaintext';
}

/** The git server the apps' repositories live on, one organization (GitLab: group) per team. */
export interface GitSettings extends GitConnectionSettings {
  /** Without a trailing slash: `<url>/<team>/<app>.git` is a repository. */
  url: string;
  /** Organization holding the template repositories. */
  templatesOrg: string;
}

/** The registry images are pushed to, and how the service asks it whether one was. */
export interface RegistrySettings extends RegistryConnectionSettings {
  /** What images are named with: `<host>/<team>/<app>:<tag>`. */
  host: string;
}

export interface TaskSettings {
  runtime: RuntimeConfig;
  redis: RedisSettings;
  argo: ArgoWorkflowsSettings;
  argocd: ArgoCdConnection;
  git: GitSettings;
  registry: RegistrySettings;
  upstreamTimeouts: UpstreamTimeouts;
  /** Where apps may be deployed; the first is where a new app lands. */
  environments: string[];
  /** Environments whose deploys wait for an approver of `approvers`. */
  protectedEnvironments: string[];
  approvers: string;
  catalog: TemplateCatalog;
  idempotencyTtlSeconds: number;
  auditStreamMaxLength: number;
}

/** The task service's typed config, read once at start (the class is its DI token). */
export class TaskConfig extends SettingsClass<TaskSettings>() {}

export function loadTaskConfig(env: Readonly<Record<string, string | undefined>>): TaskConfig {
  const parsed = loadEnv(TaskEnv, env);
  const argocdUrl = new URL(parsed.ARGOCD_SERVER_URL);
  return new TaskConfig({
    runtime: toRuntimeConfig(SERVICE_NAME, parsed),
    redis: redisSettings(parsed),
    argo: argoWorkflowsSettings(parsed),
    argocd: {
      ...argoCdSettings(parsed),
      server: argocdUrl.host,
      cliTlsFlag: argocdTlsFlag(
        parsed.ARGOCD_WORKFLOW_TLS,
        argocdUrl,
        parsed.ARGOCD_INSECURE_SKIP_TLS_VERIFY,
      ),
    },
    git: {
      provider: parsed.GIT_PROVIDER,
      url: parsed.GIT_SERVER_URL.replace(/\/+$/, ''),
      token: parsed.GIT_TOKEN,
      templatesOrg: parsed.GIT_TEMPLATES_ORG,
      ca: caBundle(parsed.GIT_CA_FILE),
      insecureSkipTlsVerify: parsed.GIT_INSECURE_SKIP_TLS_VERIFY,
    },
    registry: {
      host: parsed.REGISTRY_HOST,
      url: parsed.REGISTRY_URL.replace(/\/+$/, ''),
      username: parsed.REGISTRY_USERNAME,
      password: parsed.REGISTRY_PASSWORD,
      ca: caBundle(parsed.REGISTRY_CA_FILE),
      insecureSkipTlsVerify: parsed.REGISTRY_INSECURE_SKIP_TLS_VERIFY,
    },
    upstreamTimeouts: upstreamTimeouts(parsed),
    environments: parsed.ENVIRONMENTS.split(','),
    protectedEnvironments:
      parsed.PROTECTED_ENVIRONMENTS === '' ? [] : parsed.PROTECTED_ENVIRONMENTS.split(','),
    approvers: parsed.APPROVERS_GROUP,
    catalog: readCatalog(parsed.TEMPLATES_CATALOG_FILE),
    idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
    auditStreamMaxLength: parsed.AUDIT_STREAM_MAX_LENGTH,
  });
}

/** The catalog, or a config error naming TEMPLATES_CATALOG_FILE and every mistake in the file. */
function readCatalog(file: string): TemplateCatalog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw catalogProblem([`TEMPLATES_CATALOG_FILE cannot be read: ${(error as Error).message}`]);
  }
  try {
    return parseCatalog(text);
  } catch (error) {
    if (error instanceof CatalogError) {
      throw catalogProblem(error.problems.map((p) => `TEMPLATES_CATALOG_FILE (${file}) ${p}`));
    }
    throw error;
  }
}

function catalogProblem(problems: string[]): ConfigValidationError {
  return new ConfigValidationError([{ key: 'TEMPLATES_CATALOG_FILE', problems }]);
}
