import type { KubeConfig } from '@kubernetes/client-node';
import { Labels } from '@platform/domain';
import type { PodLogLine } from '@platform/domain';
import { mergedPodLogs, podsResource, watchResource } from '@platform/k8s';
import type { TopicSource } from '../streams/topic';

export interface AppLogsOptions {
  namespace: string;
  app: string;
  container?: string;
  /** Lines of history per container when it attaches. */
  attachTailLines: number;
  /** Lines kept for the snapshots of late joiners. */
  keepLines: number;
  idleTimeoutMs: number;
}

/** What a late joiner's snapshot is cut from. */
export interface AppLogsState {
  pods: string[];
  lines: PodLogLine[];
}

/**
 * An app's logs topic: one pod watch (the app's label) and one followed log per started
 * container, merged; `log` per line tagged with pod and container, `pod` when a pod's container
 * joins or leaves (a replaced pod leaves, its successor joins).
 */
export function appLogsSource(kc: KubeConfig, options: AppLogsOptions): TopicSource {
  return (feed) => {
    const state: AppLogsState = { pods: [], lines: [] };
    const pods$ = watchResource(kc, podsResource(kc, options.namespace), {
      labelSelector: `${Labels.app}=${options.app}`,
      idleTimeoutMs: options.idleTimeoutMs,
      timeoutSeconds: Math.max(1, Math.floor(options.idleTimeoutMs / 2000)),
    });
    feed.setState(state);
    const subscription = mergedPodLogs(kc, pods$, {
      namespace: options.namespace,
      container: options.container,
      tailLines: options.attachTailLines,
    }).subscribe({
      next: (item) => {
        if (item.kind === 'line') {
          state.lines.push(item.line);
          if (state.lines.length > options.keepLines) state.lines.shift();
          feed.publish('log', item.line);
        } else {
          const { pod, change } = item.membership;
          const others = state.pods.filter((p) => p !== pod);
          state.pods = change === 'joined' ? [...others, pod] : others;
          feed.publish('pod', item.membership);
        }
      },
      error: (error: unknown) =>
        feed.complete('upstream-error', { message: `the pod logs failed: ${(error as Error).message}` }),
    });
    return () => subscription.unsubscribe();
  };
}

/** A client's snapshot: the pods now followed and the newest `tail` lines (younger than `since` s). */
export function logsView(tail: number, sinceSeconds: number | undefined): (state: unknown) => unknown {
  return (state) => {
    const { pods, lines } = state as AppLogsState;
    const cutoff = sinceSeconds === undefined ? '' : new Date(Date.now() - sinceSeconds * 1000).toISOString();
    return { pods, lines: lines.filter((l) => l.time >= cutoff).slice(-tail) };
  };
}
