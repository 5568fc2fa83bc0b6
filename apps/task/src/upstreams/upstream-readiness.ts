import { ArgoCd, ArgoWorkflows, GitServer, ImageRegistry } from '@platform/argo-client';
import { READINESS_CHECK_TIMEOUT_MS, upstreamReadiness } from '@platform/service-runtime';

const timeoutMs = READINESS_CHECK_TIMEOUT_MS;

/**
 * What a task request needs besides Redis: workflows are submitted to Argo Workflows, apps are
 * looked up in Argo CD, repositories on the git server and built images in the registry, which
 * must accept the service's read-only login (docs/operations.md).
 */
export const TASK_UPSTREAM_READINESS = [
  upstreamReadiness('argo-workflows', ArgoWorkflows, (argo) => argo.version({ timeoutMs })),
  upstreamReadiness('argo-cd', ArgoCd, (argocd) => argocd.verifySession({ timeoutMs })),
  upstreamReadiness('git', GitServer, (git) => git.health({ timeoutMs })),
  upstreamReadiness('registry', ImageRegistry, (registry) => registry.ping({ timeoutMs })),
];
