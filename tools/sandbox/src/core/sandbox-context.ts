import type { RegistryAuthMode, SandboxRegistry } from '../registry/sandbox-registry';
import type { EventRecorder } from './event-recorder';
import type { FaultInjector } from './faults';
import type { ObjectStore } from './object-store';
import type { PodLogStore } from './pod-log-store';
import type { SimClock } from './sim-clock';

/** A local Argo CD account's name and password. */
export interface ArgoCdLogin {
  username: string;
  password: string;
}

export interface SandboxConfig {
  /** Where git repositories, workflow work directories and the kubeconfig live. */
  dataDir: string;
  host: string;
  /** Interval of the `:` keepalive on Argo SSE streams (15 s on the real servers). */
  keepaliveMs: number;
  /** Namespace where workflows and workflow templates live. */
  argoNamespace: string;
  /** Namespace where Argo CD Applications live. */
  argocdNamespace: string;
  /** The bearer token the Argo Workflows server accepts. */
  argoToken: string;
  /** The Argo CD `admin` account's login. */
  argocdUsername: string;
  argocdPassword: string;
  /** The services' Argo CD account: it may only read applications (RBAC `applications, get`). */
  argocdServices: ArgoCdLogin;
  /** The workflows' Argo CD account: it may get, create, update and sync applications. */
  argocdWorkflows: ArgoCdLogin;
  /** Host part of image references the sandbox registry serves, e.g. registry.sandbox.local. */
  registryHost: string;
  /**
   * `harbor` (default): the registry wants Harbor's robot accounts and token auth, projects are
   * private; `none`: a bare distribution registry that lets anyone pull and push.
   */
  registryAuth: RegistryAuthMode;
  /** Password of the registry's `admin` (Harbor's admin, who creates projects and robots). */
  registryAdminPassword: string;
  /**
   * The secret of the platform setup's robots, when it must be known in advance (docker-compose
   * configures the services with it); generated otherwise.
   */
  registryPlatformSecret?: string;
  /**
   * The git server's user (a regular Gitea user: it may create organizations and works in those
   * whose teams let it), its password, and optionally a personal access token of it.
   */
  gitUsername: string;
  gitPassword: string;
  gitToken?: string;
  /** Organization of the git server that holds the template repositories (`templatesDir`). */
  gitTemplatesOrg: string;
  /** Folder whose sub-folders are seeded as template repositories at start. */
  templatesDir?: string;
}

/** Base URLs of the sandbox's servers, known once they listen. */
export interface SandboxUrls {
  kube: string;
  argo: string;
  argocd: string;
  git: string;
  admin: string;
  /** The container registry (OCI distribution API, Harbor's token service). */
  registry: string;
}

/** Everything the sandbox's servers and controllers share. */
export interface SandboxContext {
  config: SandboxConfig;
  urls: SandboxUrls;
  store: ObjectStore;
  clock: SimClock;
  logs: PodLogStore;
  events: EventRecorder;
  faults: FaultInjector;
  registry: SandboxRegistry;
}
