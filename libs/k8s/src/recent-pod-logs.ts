import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { InvalidRequestError, NotFoundError } from '@platform/errors';
import { kubeError } from './kube-errors';
import type { PodLogLine } from '@platform/domain';
import { parseTimestampedLine } from './pod-log-line';

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
 * and tagged with pod and container. Containers that have not started (the API answers 400) or
 * pods that went away meanwhile (404) are skipped rather than failing the whole read.
 */
export async function recentPodLogs(kc: KubeConfig, options: RecentPodLogsOptions): Promise<PodLogLine[]> {
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
    startedContainers(pod, options.container).map(async (container): Promise<PodLogLine[]> => {
      const name = pod.metadata?.name ?? '';
      try {
        const text = await api.readNamespacedPodLog({
          name,
          namespace: options.namespace,
          container,
          tailLines: options.tailLines,
          sinceSeconds: options.sinceSeconds,
          timestamps: true,
        });
        return text
          .split('\n')
          .filter((raw) => raw !== '')
          .map((raw) => ({ pod: name, container, ...parseTimestampedLine(raw) }));
      } catch (error) {
        const named = kubeError(error);
        if (named instanceof InvalidRequestError || named instanceof NotFoundError) return [];
        throw named;
      }
    }),
  );
  const lines = (await Promise.all(reads)).flat();
  lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
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
