import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { readContainerHistory } from './container-history';
import { kubeError } from './kube-errors';
import { compareLogTimes, type ContainerLogLine } from './pod-log-line';

export interface RecentPodLogsOptions {
  namespace: string;
  labelSelector: string;
  /** Only this container of each pod; all started containers otherwise. */
  container?: string;
  /** The newest lines over all pods and containers. */
  tailLines: number;
  sinceSeconds?: number;
}

/**
 * The last lines of every pod matching a selector, read once (no follow), merged in time order
 * and tagged with pod and container (see readContainerHistory for containers not there).
 */
export async function recentPodLogs(
  kc: KubeConfig,
  options: RecentPodLogsOptions,
): Promise<ContainerLogLine[]> {
  const api = kc.makeApiClient(CoreV1Api);
  let pods: V1Pod[];
  try {
    pods = (
      await api.listNamespacedPod({ namespace: options.namespace, labelSelector: options.labelSelector })
    ).items;
  } catch (error) {
    throw kubeError(error);
  }
  const reads = pods.flatMap((pod) =>
    startedContainers(pod, options.container).map((container) =>
      readContainerHistory(kc, {
        namespace: options.namespace,
        pod: pod.metadata?.name ?? '',
        container,
        tailLines: options.tailLines,
        sinceSeconds: options.sinceSeconds,
      }),
    ),
  );
  const lines = (await Promise.all(reads)).flat();
  lines.sort((a, b) => compareLogTimes(a.time, b.time));
  return lines.slice(-options.tailLines);
}

function startedContainers(pod: V1Pod, only: string | undefined): string[] {
  const started = new Set(
    (pod.status?.containerStatuses ?? [])
      .filter((s) => s.state?.running !== undefined || s.state?.terminated !== undefined)
      .map((s) => s.name),
  );
  return (pod.spec?.containers ?? [])
    .map((c) => c.name)
    .filter((c) => started.has(c) && (only === undefined || c === only));
}
