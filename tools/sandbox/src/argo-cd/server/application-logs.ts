import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { kubeTime } from '../../core/sim-clock';
import { GrpcCode, GrpcError, type GatewayStream } from '../../grpc-gateway';
import type { PodObject } from '../../kubernetes/controllers/workload-types';
import {
  containerFor,
  frame,
  goRfc3339Nano,
  passesFilter,
  pushLine,
  selectLines,
  selectPods,
  type LogLine,
} from './application-log-entries';
import { buildResourceTree } from './resource-tree';

export interface AppLogQuery {
  container: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  untilTime?: number;
  filter?: string;
  matchCase: boolean;
  kind: string;
  group: string;
  resourceName: string;
  namespace: string;
}

/** `settings.maxPodLogsToRender` default. */
const MAX_PODS = 10;
/** `mergeLogStreams` buffer: lines of several pods are ordered within this window. */
const MERGE_MS = 100;

/**
 * `PodLogs` of the Argo CD server: the logs of the app's pods (from its resource tree, narrowed by
 * kind/group/resourceName/namespace), merged in time order, each `{content, timeStamp,
 * timeStampStr, podName, last:false}`, then a final `last:true` entry. No pods: the stream ends
 * without any entry. A pod that cannot be read yields one entry with the error as content.
 */
export function streamApplicationLogs(
  ctx: SandboxContext,
  stream: GatewayStream,
  app: KubeObject,
  q: AppLogQuery,
): void {
  const pods = selectPods(buildResourceTree(ctx, app).nodes, q);
  if (pods.length === 0) {
    stream.end();
    return;
  }
  if (pods.length > MAX_PODS) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      'max pods to view logs are reached. Please provide more granular query',
    );
  }
  const entries: LogLine[] = [];
  const open = new Map<string, () => void>();
  let finished = false;

  const finish = (): void => {
    if (finished || open.size > 0) return;
    finished = true;
    flush();
    const now = new Date();
    stream.send({
      content: '',
      timeStamp: kubeTime(now),
      last: true,
      timeStampStr: goRfc3339Nano(now),
      podName: '',
    });
    stream.end();
  };
  const flush = (): void => {
    entries.sort((a, b) => (a.time ?? -Infinity) - (b.time ?? -Infinity));
    for (const entry of entries.splice(0)) {
      if (finished && !stream.open) return;
      if (q.filter !== undefined && !passesFilter(entry.line, q.filter, q.matchCase)) continue;
      const last = q.untilTime !== undefined && entry.time !== undefined && entry.time > q.untilTime;
      stream.send(frame(entry, last));
      if (last) {
        finished = true;
        stream.end();
        return;
      }
    }
  };
  const podDone = (podName: string): void => {
    open.get(podName)?.();
    open.delete(podName);
    if (open.size === 0) setTimeout(finish, 0);
  };

  for (const node of pods) {
    const podName = typeof node.name === 'string' ? node.name : '';
    const namespace = typeof node.namespace === 'string' ? node.namespace : '';
    const pod = ctx.store.get(Kinds.Pod, namespace, podName) as PodObject | undefined;
    open.set(podName, () => undefined);
    const container =
      pod === undefined ? { error: `pods "${podName}" not found` } : containerFor(pod, q.container);
    if ('error' in container) {
      entries.push({ podName: '', line: container.error });
      podDone(podName);
      continue;
    }
    for (const line of selectLines(ctx.logs.lines(namespace, podName, container.name), q)) {
      pushLine(entries, podName, line.text, line.time);
    }
    const phase = pod?.status?.phase;
    if (
      !q.follow ||
      phase === 'Succeeded' ||
      phase === 'Failed' ||
      ctx.logs.ended(namespace, podName, container.name)
    ) {
      podDone(podName);
      continue;
    }
    const unfollow = ctx.logs.follow(
      namespace,
      podName,
      container.name,
      (line) => pushLine(entries, podName, line.text, line.time),
      () => setImmediate(() => podDone(podName)),
    );
    open.set(podName, unfollow);
  }

  const ticker = setInterval(flush, MERGE_MS);
  // A followed pod that completes or disappears ends its log stream, as kubelet's does.
  const podWatch = ctx.store.watch(Kinds.Pod, { resourceVersion: ctx.store.resourceVersion }, (event) => {
    const name = event.object.metadata.name ?? '';
    const phase = (event.object.status as { phase?: string } | undefined)?.phase;
    if (open.has(name) && (event.type === 'DELETED' || phase === 'Succeeded' || phase === 'Failed')) {
      setTimeout(() => podDone(name), MERGE_MS);
    }
  });
  stream.onClose(() => {
    clearInterval(ticker);
    podWatch.close();
    for (const unfollow of open.values()) unfollow();
    open.clear();
  });
}
