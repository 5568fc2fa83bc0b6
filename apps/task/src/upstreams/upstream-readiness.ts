import { ArgoCd, ArgoWorkflows, GitServer } from '@platform/argo-client';
import { READINESS_CHECK_TIMEOUT_MS, upstreamReadiness } from '@platform/service-runtime';

const timeoutMs = READINESS_CHECK_TIMEOUT_MS;

/**
 * What a task request needs besides Redis: workflows are submitted to Argo Workflows, apps are
 * looked up in Argo CD and repositories on the git server (docs/operations.md).
 */
export const TASK_UPSTREAM_READINESS = [
  upstreamReadiness('argo-workflows', ArgoWorkflows, (argo) => argo.version({ timeoutMs })),
  upstreamReadiness('argo-cd', ArgoCd, (argocd) => argocd.verifySession({ timeoutMs })),
  upstreamReadiness('git', GitServer, (git) => git.health({ timeoutMs })),
];
