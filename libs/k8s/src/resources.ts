import {
  AppsV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { kubeError } from './kube-errors';
import type { ListedResource, PageQuery, WatchedResource } from './watch-resource';

/** Pods of one namespace, or of all namespaces when `namespace` is undefined. */
export function podsResource(kc: KubeConfig, namespace?: string): WatchedResource<V1Pod> {
  const api = kc.makeApiClient(CoreV1Api);
  return {
    path: namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${namespace}/pods`,
    list: (s: PageQuery) =>
      guarded(() =>
        namespace === undefined ? api.listPodForAllNamespaces(s) : api.listNamespacedPod({ namespace, ...s }),
      ),
  };
}

export function deploymentsResource(kc: KubeConfig, namespace?: string): WatchedResource<V1Deployment> {
  const api = kc.makeApiClient(AppsV1Api);
  return {
    path:
      namespace === undefined
        ? '/apis/apps/v1/deployments'
        : `/apis/apps/v1/namespaces/${namespace}/deployments`,
    list: (s: PageQuery) =>
      guarded(() =>
        namespace === undefined
          ? api.listDeploymentForAllNamespaces(s)
          : api.listNamespacedDeployment({ namespace, ...s }),
      ),
  };
}

export function eventsResource(kc: KubeConfig, namespace?: string): WatchedResource<CoreV1Event> {
  const api = kc.makeApiClient(CoreV1Api);
  return {
    path: namespace === undefined ? '/api/v1/events' : `/api/v1/namespaces/${namespace}/events`,
    list: (s: PageQuery) =>
      guarded(() =>
        namespace === undefined
          ? api.listEventForAllNamespaces(s)
          : api.listNamespacedEvent({ namespace, ...s }),
      ),
  };
}

async function guarded<T>(call: () => Promise<ListedResource<T>>): Promise<ListedResource<T>> {
  try {
    return await call();
  } catch (error) {
    throw kubeError(error);
  }
}
