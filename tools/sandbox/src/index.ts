export { createContext, DEFAULT_CONFIG } from './core/create-context';
/** The platform's Argo CD RBAC lines (policy.csv), as the sandbox configures them and the docs show them. */
export { platformArgoCdPolicy } from './platform/platform-argocd-accounts';
export type { ArgoCdLogin, SandboxContext, SandboxConfig, SandboxUrls } from './core/sandbox-context';
export { ObjectStore } from './core/object-store';
export { LabelSelector } from './core/label-selector';
export { Kinds, type ResourceKind } from './core/resource-kinds';
export type { KubeObject, ObjectMeta } from './core/kube-object';
export type { FaultConfig, Upstream } from './core/faults';
export { kubeApiHandler, writeKubeconfig, type KubeApiOptions } from './kubernetes/api';
export { serve } from './testing/serve';
export { serveKubeApi, type ServedKubeApi } from './testing/serve-kube-api';
export { loadOrCreateCa, type SandboxCa } from './tls/sandbox-ca';
/** The servers' `fields=` filter, for tests that trim objects exactly as the servers would. */
export { FieldFilter } from './grpc-gateway/field-filter';
export { eventually } from './testing/eventually';
export { argoUpstreamEnv } from './testing/argo-upstream-env';
export { registryUpstreamEnv } from './testing/registry-upstream-env';
/** Debian's docker-registry (distribution 2.8), for tests that check clients against the real thing. */
export {
  startRealRegistry,
  hasDockerRegistry,
  dockerRegistryBinary,
  type RealRegistry,
} from './testing/real-registry';
export { argoWorkflowsHandler, type ArgoWorkflowsServerOptions } from './argo-workflows/server';
export { argoCdHandler } from './argo-cd/server/argo-cd.server';
export { startSandbox, type Sandbox, type SandboxOptions, type SandboxServer } from './sandbox';
export {
  seedApps,
  seedFigures,
  SEED_TEMPLATES,
  type SeedOptions,
  type SeedResult,
  type SeedFigures,
} from './platform/seed';
export { verifySandboxToken } from './admin';
export {
  startPlatformSandbox,
  submitTemplate,
  finishedWorkflow,
  runTemplate,
  workflowOutput,
  repoUrl,
  gitAuthorization,
  PLATFORM_GIT_LOGIN,
  PLATFORM_TEAMS,
  type FinishedWorkflow,
} from './platform/platform-sandbox';
/** Real Helm and kubectl binaries (from a pinned npm package), for the sandbox and the tests. */
export { realTool, realToolIfAvailable, RealToolMissingError, type RealTool } from './tools/real-tools';
/** The images workflow steps can use, with what the sandbox knows of each (images/image-manifest.ts). */
export { IMAGE_MANIFEST, imageFacts, type ImageFacts } from './argo-workflows/controller';
/** The git server's store, for tests and seeding that set up organizations and repositories directly. */
export { gitStore, GITEA_VERSION, type Organization, type RepoInfo } from './git';
export { createTeamOrganization } from './sandbox';
/** The sandbox's container registry and the platform team's setup of it. */
export { registryHandler } from './registry/registry.server';
export { SandboxRegistry, type RegistryImage, type RegistryAuthMode } from './registry/sandbox-registry';
export {
  setUpPlatformRegistry,
  onboardRegistryTeam,
  dockerConfigJson,
  teamRegistrySecret,
  PLATFORM_ROBOTS,
  type PlatformRegistryLogins,
} from './platform/registry-onboarding';
export type { RegistryCredential } from './registry/client/docker-config';
