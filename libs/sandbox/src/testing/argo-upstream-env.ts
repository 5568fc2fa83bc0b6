import type { Sandbox } from '../sandbox';

/**
 * The settings that point a platform service at a sandbox's Argo Workflows and Argo CD, named as
 * the services read them from their environment (the Kubernetes API is KUBECONFIG, for the
 * services that watch it). Argo CD is reached with the services' read-only account, as in a cluster.
 */
export function argoUpstreamEnv(sandbox: Pick<Sandbox, 'urls' | 'ctx'>): Record<string, string> {
  const { urls, ctx } = sandbox;
  return {
    ARGO_SERVER_URL: urls.argo,
    ARGO_TOKEN: ctx.config.argoToken,
    ARGOCD_SERVER_URL: urls.argocd,
    ARGOCD_USERNAME: ctx.config.argocdServices.username,
    ARGOCD_PASSWORD: ctx.config.argocdServices.password,
  };
}
