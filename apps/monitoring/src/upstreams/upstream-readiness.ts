import { KubeConfig } from '@kubernetes/client-node';
import { ArgoCd, ArgoWorkflows } from '@platform/argo-client';
import { kubeApiVersion } from '@platform/k8s';
import { READINESS_CHECK_TIMEOUT_MS, upstreamReadiness } from '@platform/service-runtime';

const timeoutMs = READINESS_CHECK_TIMEOUT_MS;

/**
 * Every stream reads one of these three upstreams, so a replica that cannot reach one of them
 * should leave the Service rather than accept streams that could only fail (docs/operations.md).
 */
export const MONITORING_READINESS = [
  upstreamReadiness('argo-workflows', ArgoWorkflows, (argo) => argo.version({ timeoutMs })),
  upstreamReadiness('argo-cd', ArgoCd, (argocd) => argocd.verifySession({ timeoutMs })),
  upstreamReadiness('kubernetes', KubeConfig, (kc, signal) => kubeApiVersion(kc, { signal })),
];
