import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { InvalidRequestError, NotFoundError } from '@platform/errors';
import { kubeError } from './kube-errors';
import { parseTimestampedLine, type ContainerLogLine } from './pod-log-line';

export interface ContainerHistoryOptions {
  namespace: string;
  pod: string;
  container: string;
  tailLines?: number;
  sinceSeconds?: number;
}

/**
 * The lines a container has now (not followed), timestamped and tagged. A container that has not
 * started (400) or a pod that went away (404) has none rather than failing the caller.
 */
export async function readContainerHistory(
  kc: KubeConfig,
  options: ContainerHistoryOptions,
): Promise<ContainerLogLine[]> {
  const { namespace, pod, container } = options;
  try {
    const text = await kc.makeApiClient(CoreV1Api).readNamespacedPodLog({
      name: pod,
      namespace,
      container,
      tailLines: options.tailLines,
      sinceSeconds: options.sinceSeconds,
      timestamps: true,
    });
    return text
      .split('\n')
      .filter((raw) => raw !== '')
      .map((raw) => ({ pod, container, ...parseTimestampedLine(raw) }));
  } catch (error) {
    const named = kubeError(error);
    if (named instanceof InvalidRequestError || named instanceof NotFoundError) return [];
    throw named;
  }
}
