import type { Sandbox } from '../sandbox';

/**
 * The settings that point a platform service at a sandbox's Argo Workflows and Argo CD, named as
 * the services read them from their environment (the Kubernetes API is KUBECONFIG, for the
 * services that watch it). Argo CD is reached with the services' read-only account, as in a cluster.
 * A server the sandbox serves over HTTPS comes with the sandbox's CA file.
 */
export function argoUpstreamEnv(sandbox: Pick<Sandbox, 'urls' | 'ctx' | 'caFile'>): Record<string, string> {
  const { urls, ctx, caFile } = sandbox;
  const ca = (key: string, url: string): Record<string, string> =>
    url.startsWith('https:') ? { [key]: caFile } : {};
  return {
    ARGO_SERVER_URL: urls.argo,
    ARGO_TOKEN: ctx.config.argoToken,
    ...ca('ARGO_CA_FILE', urls.argo),
    ARGOCD_SERVER_URL: urls.argocd,
    ARGOCD_USERNAME: ctx.config.argocdServices.username,
    ARGOCD_PASSWORD: ctx.config.argocdServices.password,
    ...ca('ARGOCD_CA_FILE', urls.argocd),
  };
}
