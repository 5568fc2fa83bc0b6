import type { KubeObject } from '../core/kube-object';
import { Kinds } from '../core/resource-kinds';
import type { SandboxContext } from '../core/sandbox-context';
import { kubeTime } from '../core/sim-clock';
import { GrpcCode, GrpcError, type GatewayStream } from '../grpc-gateway';
import type { PodObject } from '../workloads/workload-types';
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

interface Entry {
  podName: string;
  line: string;
  /** Epoch ms; undefined for an error line (Go's zero time). */
  time?: number;
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
  const entries: Entry[] = [];
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

/** `getSelectedPods`: pods of the tree that match the query or descend from a node that does. */
export function selectPods(
  nodes: Array<Record<string, unknown>>,
  q: Pick<AppLogQuery, 'kind' | 'group' | 'resourceName' | 'namespace'>,
): Array<Record<string, unknown>> {
  const memo = new Map<unknown, boolean>();
  const selected = (node: Record<string, unknown>): boolean => {
    const known = memo.get(node.uid);
    if (known !== undefined) return known;
    memo.set(node.uid, false);
    let result =
      (q.resourceName === '' || node.name === q.resourceName) &&
      (q.kind === '' || node.kind === q.kind) &&
      (q.group === '' || (node.group ?? '') === q.group) &&
      (q.namespace === '' || node.namespace === q.namespace);
    if (!result) {
      const parents = (node.parentRefs as Array<Record<string, unknown>> | undefined) ?? [];
      result = parents.some((ref) =>
        nodes.some(
          (n) =>
            n.namespace === ref.namespace &&
            n.name === ref.name &&
            (n.group ?? '') === (ref.group ?? '') &&
            n.kind === ref.kind &&
            selected(n),
        ),
      );
    }
    memo.set(node.uid, result);
    return result;
  };
  return nodes.filter(
    (node) => node.kind === 'Pod' && node.group === undefined && node.uid !== undefined && selected(node),
  );
}

/** The container to read, or the API server's error for the pod. */
function containerFor(pod: PodObject, requested: string): { name: string } | { error: string } {
  const podName = pod.metadata.name ?? '';
  const names = pod.spec.containers.map((c) => c.name);
  let name = requested;
  if (name === '') {
    if (names.length !== 1)
      return {
        error: `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`,
      };
    name = names[0] ?? '';
  } else if (!names.includes(name)) return { error: `container ${name} is not valid for pod ${podName}` };
  const status = pod.status?.containerStatuses?.find((c) => c.name === name);
  const neverStarted = status?.state.waiting !== undefined && status.restartCount === 0;
  if (pod.status?.phase === 'Pending' || neverStarted) {
    const reason = status?.state.waiting?.reason ?? 'ContainerCreating';
    const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? "image can't be pulled" : reason;
    return { error: `container "${name}" in pod "${podName}" is waiting to start: ${why}` };
  }
  return { name };
}

/** `parseLogsStream`: the line trimmed, then split at carriage returns. */
function pushLine(entries: Entry[], podName: string, text: string, time: Date): void {
  for (const line of text.trim().split('\r')) entries.push({ podName, line, time: time.getTime() });
}

function selectLines<T extends { time: Date }>(lines: readonly T[], q: AppLogQuery): readonly T[] {
  let selected = lines;
  if (q.sinceSeconds !== undefined) {
    const since = Date.now() - q.sinceSeconds * 1000;
    selected = selected.filter((line) => line.time.getTime() >= since);
  }
  if (q.tailLines !== undefined) selected = selected.slice(Math.max(0, selected.length - q.tailLines));
  return selected;
}

function passesFilter(line: string, filter: string, matchCase: boolean): boolean {
  const inverse = filter.startsWith('!');
  const literal = inverse ? filter.slice(1) : filter;
  const contains = matchCase ? line.includes(literal) : line.toLowerCase().includes(literal.toLowerCase());
  return inverse ? !contains : contains;
}

function frame(entry: Entry, last: boolean): Record<string, unknown> {
  const time = entry.time === undefined ? undefined : new Date(entry.time);
  return {
    content: entry.line,
    // A zero metav1.Time marshals as null.
    timeStamp: time === undefined ? null : kubeTime(time),
    last,
    timeStampStr: time === undefined ? '0001-01-01T00:00:00Z' : goRfc3339Nano(time),
    podName: entry.podName,
  };
}

/** Go's RFC3339Nano layout: fractional seconds without trailing zeros. */
export function goRfc3339Nano(date: Date): string {
  return date
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}
