export { kubeApiHandler, type KubeApiOptions } from './kube-api-handler';
export { writeKubeconfig } from './kubeconfig';
