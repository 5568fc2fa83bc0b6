/** What a benchmark's sandbox child announces once it serves: where and how to reach it. */
export interface SandboxHello {
  port: number;
  urls: { kube: string; argo: string; argocd: string };
  kubeconfigPath: string;
  caFile: string;
  kubeToken: string;
  argoToken: string;
  argocdUsername: string;
  argocdPassword: string;
  apps: string[];
}
