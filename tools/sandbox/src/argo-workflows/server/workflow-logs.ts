import { FieldSelector } from '../../core/field-selector';
import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import type { GatewayStream } from '../../grpc-gateway';
import { ArgoLabels, asRecord, isFulfilled, text } from './workflow-objects';

export interface WorkflowLogRequest {
  namespace: string;
  name: string;
  podName: string;
  container: string;
  follow: boolean;
  grep?: RegExp;
  tailLines?: number;
  sinceSeconds?: number;
}

interface Entry {
  podName: string;
  content: string;
  time: number;
}

/**
 * `logs.WorkflowLogs`: streams the logs of every non-pending pod of the workflow, sorted and sent
 * in batches every `batchMs`. With follow it also streams pods that start later and ends once the
 * workflow is completed (or deleted) and every pod's log has ended; without, it sends what is
 * there and ends. The workflow must exist (else the stream fails NotFound before any event).
 */
export function streamWorkflowLogs(
  ctx: SandboxContext,
  stream: GatewayStream,
  request: WorkflowLogRequest,
  batchMs: number,
): void {
  ctx.store.mustGet(Kinds.Workflow, request.namespace, request.name);
  const entries: Entry[] = [];
  const streamed = new Set<string>();
  const following = new Map<string, () => void>();
  const releases: Array<() => void> = [];
  let watchingPods = request.follow;

  const flush = (): void => {
    entries.sort((a, b) => a.time - b.time);
    for (const entry of entries.splice(0)) stream.send({ podName: entry.podName, content: entry.content });
  };
  const finishIfDone = (): void => {
    if (watchingPods || following.size > 0) return;
    flush();
    stream.end();
  };
  const push = (podName: string, content: string, time: Date): void => {
    if (request.grep !== undefined && !request.grep.test(content)) return;
    entries.push({ podName, content, time: time.getTime() });
  };
  const stopFollowing = (podName: string): void => {
    const unfollow = following.get(podName);
    if (unfollow === undefined) return;
    unfollow();
    following.delete(podName);
    finishIfDone();
  };

  const ensureStreaming = (pod: KubeObject): void => {
    const podName = pod.metadata.name ?? '';
    const phase = text(asRecord(pod.status).phase, 'Pending');
    if (phase === 'Pending' || streamed.has(podName)) return;
    streamed.add(podName);
    const container = containerOf(pod, request.container);
    // The API server refuses logs of a container the pod does not have; Argo only logs that error.
    if (container === undefined) return;
    for (const line of selectLines(ctx.logs.lines(request.namespace, podName, container), request)) {
      push(podName, line.text, line.time);
    }
    const podDone = phase === 'Succeeded' || phase === 'Failed';
    if (!request.follow || podDone || ctx.logs.ended(request.namespace, podName, container)) return;
    const unfollow = ctx.logs.follow(
      request.namespace,
      podName,
      container,
      (line) => push(podName, line.text, line.time),
      () => setImmediate(() => stopFollowing(podName)),
    );
    following.set(podName, unfollow);
  };

  const podOptions = {
    namespace: request.namespace,
    labelSelector: LabelSelector.fromLabels({ [ArgoLabels.workflow]: request.name }),
    fieldSelector:
      request.podName === '' ? undefined : FieldSelector.parse(`metadata.name=${request.podName}`),
  };
  const pods = ctx.store.list(Kinds.Pod, podOptions);
  for (const pod of pods.items) ensureStreaming(pod);

  if (request.follow) {
    const podWatch = ctx.store.watch(
      Kinds.Pod,
      { ...podOptions, resourceVersion: pods.resourceVersion },
      (event) => {
        const podName = event.object.metadata.name ?? '';
        const phase = text(asRecord(event.object.status).phase);
        if (event.type === 'DELETED' || phase === 'Succeeded' || phase === 'Failed') {
          ensureStreaming(event.object);
          // Like a kubelet log stream, a follower ends when its container is gone; lines written in
          // the same moment as the phase change still arrive with the next batch.
          setTimeout(() => stopFollowing(podName), Math.min(batchMs, 100));
        } else if (watchingPods) ensureStreaming(event.object);
      },
    );
    releases.push(() => podWatch.close());
    const wfWatch = ctx.store.watch(
      Kinds.Workflow,
      { namespace: request.namespace, fieldSelector: FieldSelector.parse(`metadata.name=${request.name}`) },
      (event) => {
        if (!watchingPods || (event.type !== 'DELETED' && !isFulfilled(event.object))) return;
        watchingPods = false;
        setImmediate(finishIfDone);
      },
    );
    releases.push(() => wfWatch.close());
  }

  const ticker = setInterval(flush, batchMs);
  releases.push(() => clearInterval(ticker));
  stream.onClose(() => {
    for (const release of releases) release();
    for (const unfollow of following.values()) unfollow();
    following.clear();
  });
  if (!request.follow) finishIfDone();
}

/** The container to read: the requested one, or the only one when none is named. */
function containerOf(pod: KubeObject, requested: string): string | undefined {
  const containers = (asRecord(pod.spec).containers as Array<{ name?: string }> | undefined) ?? [];
  const names = containers.map((c) => c.name ?? '');
  if (requested === '') return names.length === 1 ? names[0] : undefined;
  return names.length === 0 || names.includes(requested) ? requested : undefined;
}

function selectLines<T extends { time: Date }>(
  lines: readonly T[],
  request: WorkflowLogRequest,
): readonly T[] {
  let selected = lines;
  if (request.sinceSeconds !== undefined) {
    const since = Date.now() - request.sinceSeconds * 1000;
    selected = selected.filter((line) => line.time.getTime() >= since);
  }
  if (request.tailLines !== undefined)
    selected = selected.slice(Math.max(0, selected.length - request.tailLines));
  return selected;
}
