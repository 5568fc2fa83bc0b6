import { AppsV1Api, CoreV1Api, type KubeConfig, type V1PodSpec } from '@kubernetes/client-node';
import { kubeError } from './kube-errors';

export interface AppContainersOptions {
  namespace: string;
  labelSelector: string;
}

/**
 * The container names an app's workloads run or will run: those of its pods and of its
 * Deployments' pod templates (init containers included), so a container of a rollout still
 * starting counts. Two list calls, read once.
 */
export async function appContainerNames(kc: KubeConfig, options: AppContainersOptions): Promise<Set<string>> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  try {
    const [pods, deployments] = await Promise.all([
      core.listNamespacedPod(options),
      apps.listNamespacedDeployment(options),
    ]);
    const specs: Array<V1PodSpec | undefined> = [
      ...pods.items.map((pod) => pod.spec),
      ...deployments.items.map((deployment) => deployment.spec?.template.spec),
    ];
    return new Set(
      specs.flatMap((spec) =>
        [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name),
      ),
    );
  } catch (error) {
    throw kubeError(error);
  }
}
