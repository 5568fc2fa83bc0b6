import type { GitProvider } from '@platform/argo-client';
import { IsBoolean, IsOptional, IsString, IsUrl, Matches, ValidateIf } from 'class-validator';
import { caBundle, IsCaFile } from './ca-file';
import { EnvBoolean } from './env-boolean';
import { EnvDoc } from './env-doc';
import { NoUrlCredentials } from './no-url-credentials';
import type { ServiceEnv } from './service-env';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'] };
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// TypeScript's mixin pattern requires a constructor of `any[]` arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EnvClass<T extends ServiceEnv = ServiceEnv> = new (...args: any[]) => T;

/**
 * The settings of the Argo Workflows server, the same in every service that talks to it, so an
 * operator configures it the same way everywhere (and one schema checks it).
 */
export function WithArgoWorkflows<B extends EnvClass>(Base: B) {
  class ArgoWorkflowsEnv extends Base {
    @EnvDoc('Base URL of the Argo Workflows server (its HTTP API)')
    @IsUrl(URL_OPTIONS, {
      message: 'ARGO_SERVER_URL must be the Argo Workflows server URL, e.g. https://argo-server.argo:2746',
    })
    @NoUrlCredentials()
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
    @Matches(NAME, { message: 'ARGO_NAMESPACE must be a namespace name' })
    ARGO_NAMESPACE: string = 'argo';

    @EnvDoc(
      "PEM CA bundle that signed the Argo Workflows server's certificate (instead of the system's CAs; mounted from a ConfigMap)",
    )
    @IsOptional()
    @IsCaFile()
    ARGO_CA_FILE?: string;

    @EnvDoc('Development only: accept any TLS certificate from the Argo Workflows server')
    @EnvBoolean()
    @IsBoolean({ message: 'ARGO_INSECURE_SKIP_TLS_VERIFY must be true or false' })
    ARGO_INSECURE_SKIP_TLS_VERIFY: boolean = false;
  }
  return ArgoWorkflowsEnv;
}

/** The settings of the Argo CD server and the platform's (read-only) Argo CD account. */
export function WithArgoCd<B extends EnvClass>(Base: B) {
  class ArgoCdEnv extends Base {
    @EnvDoc('Base URL of the Argo CD server (its HTTP API)')
    @IsUrl(URL_OPTIONS, {
      message: 'ARGOCD_SERVER_URL must be the Argo CD server URL, e.g. https://argocd-server.argocd',
    })
    @NoUrlCredentials()
    ARGOCD_SERVER_URL!: string;

    @EnvDoc('Argo CD account token; or ARGOCD_USERNAME and ARGOCD_PASSWORD')
    @IsOptional()
    @IsString()
    ARGOCD_TOKEN?: string;

    @EnvDoc(
      'Argo CD account the service logs in as when no ARGOCD_TOKEN is set (read access to applications)',
    )
    @IsString({ message: 'ARGOCD_USERNAME must be the Argo CD account name' })
    ARGOCD_USERNAME: string = 'platform-api';

    @EnvDoc('Password of ARGOCD_USERNAME, from a Secret (required unless ARGOCD_TOKEN is set)')
    @ValidateIf((env: { ARGOCD_TOKEN?: string }) => env.ARGOCD_TOKEN === undefined)
    @IsString({ message: 'ARGOCD_PASSWORD is required unless ARGOCD_TOKEN is set' })
    ARGOCD_PASSWORD?: string;

    @EnvDoc(
      "PEM CA bundle that signed the Argo CD server's certificate (instead of the system's CAs; mounted from a ConfigMap)",
    )
    @IsOptional()
    @IsCaFile()
    ARGOCD_CA_FILE?: string;

    @EnvDoc('Development only: accept any TLS certificate from the Argo CD server')
    @EnvBoolean()
    @IsBoolean({ message: 'ARGOCD_INSECURE_SKIP_TLS_VERIFY must be true or false' })
    ARGOCD_INSECURE_SKIP_TLS_VERIFY: boolean = false;
  }
  return ArgoCdEnv;
}

/** Where the Kubernetes API is: a kubeconfig file, or the pod's service account when unset. */
export function WithKubernetes<B extends EnvClass>(Base: B) {
  class KubernetesEnv extends Base {
    @EnvDoc('Kubeconfig file for the Kubernetes API; unset in a pod, which uses its service account')
    @IsOptional()
    @IsString()
    KUBECONFIG?: string;
  }
  return KubernetesEnv;
}

/** The Argo Workflows connection of a parsed environment (the shape argo-client's helpers take). */
export interface ArgoWorkflowsSettings {
  url: string;
  namespace: string;
  token?: string;
  tokenFile?: string;
  /** The CA bundle (PEM text) of ARGO_CA_FILE. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
}

/** The Argo CD connection of a parsed environment. */
export interface ArgoCdSettings {
  url: string;
  token?: string;
  username: string;
  password?: string;
  /** The CA bundle (PEM text) of ARGOCD_CA_FILE. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
}

/** Where the Kubernetes API is: a kubeconfig file, or (undefined) the pod's service account. */
export interface KubernetesSettings {
  kubeconfigPath?: string;
}

/** How a service reaches a git server's API (task: GIT_* keys). */
export interface GitConnectionSettings {
  provider: GitProvider;
  /** Root URL of the server, a sub-path allowed. */
  url: string;
  token?: string;
  /** The CA bundle (PEM text) of GIT_CA_FILE. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
}

/** How a service reaches a registry's OCI distribution API (task: REGISTRY_* keys). */
export interface RegistryConnectionSettings {
  url: string;
  /** A read-only account; without both, the registry is asked anonymously. */
  username?: string;
  password?: string;
  /** The CA bundle (PEM text) of REGISTRY_CA_FILE. */
  ca?: string;
  insecureSkipTlsVerify: boolean;
}

export function argoWorkflowsSettings(
  env: InstanceType<ReturnType<typeof WithArgoWorkflows>>,
): ArgoWorkflowsSettings {
  return {
    url: env.ARGO_SERVER_URL,
    namespace: env.ARGO_NAMESPACE,
    token: env.ARGO_TOKEN,
    tokenFile: env.ARGO_TOKEN_FILE,
    ca: caBundle(env.ARGO_CA_FILE),
    insecureSkipTlsVerify: env.ARGO_INSECURE_SKIP_TLS_VERIFY,
  };
}

export function argoCdSettings(env: InstanceType<ReturnType<typeof WithArgoCd>>): ArgoCdSettings {
  return {
    url: env.ARGOCD_SERVER_URL,
    token: env.ARGOCD_TOKEN,
    username: env.ARGOCD_USERNAME,
    password: env.ARGOCD_PASSWORD,
    ca: caBundle(env.ARGOCD_CA_FILE),
    insecureSkipTlsVerify: env.ARGOCD_INSECURE_SKIP_TLS_VERIFY,
  };
}

export function kubernetesSettings(env: InstanceType<ReturnType<typeof WithKubernetes>>): KubernetesSettings {
  return { kubeconfigPath: env.KUBECONFIG };
}
