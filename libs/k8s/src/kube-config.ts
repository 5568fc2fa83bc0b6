import { KubeConfig } from '@kubernetes/client-node';

/** Where the Kubernetes connection comes from; the first that applies wins. */
export interface KubeConnectionOptions {
  /** Explicit API server (and token): for tests and unusual setups. */
  server?: { url: string; token?: string; caData?: string; insecureSkipTlsVerify?: boolean };
  /** A kubeconfig file (the service passes its KUBECONFIG setting here). */
  kubeconfigPath?: string;
  /** Otherwise: the pod's service account (in-cluster). */
}

/** Builds the client-node KubeConfig from explicit options, a kubeconfig file, or in-cluster. */
export function loadKubeConfig(options: KubeConnectionOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.server !== undefined) {
    const { url, token, caData, insecureSkipTlsVerify } = options.server;
    kc.loadFromOptions({
      clusters: [{ name: 'explicit', server: url, caData, skipTLSVerify: insecureSkipTlsVerify ?? false }],
      users: [{ name: 'explicit', token }],
      contexts: [{ name: 'explicit', cluster: 'explicit', user: 'explicit' }],
      currentContext: 'explicit',
    });
    return kc;
  }
  if (options.kubeconfigPath !== undefined) {
    kc.loadFromFile(options.kubeconfigPath);
    return kc;
  }
  kc.loadFromCluster();
  return kc;
}
