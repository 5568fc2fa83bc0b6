import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../core/kube-object';
import type { LogLine } from '../../core/pod-log-store';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { KubeStream } from './kube-stream';
import { flag, integer } from './query';
import { KubeApiError } from './status';

interface ContainerSpec {
  name?: string;
}

interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string } };
}

/**
 * `GET .../pods/{name}/log`: the container's output as raw text, optionally followed until the
 * container terminates. Errors are the API server's 400/404 Status messages.
 */
export function servePodLog(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  namespace: string,
  podName: string,
  query: URLSearchParams,
): void {
  const pod = ctx.store.get(Kinds.Pod, namespace, podName);
  if (pod === undefined) throw KubeApiError.notFound(Kinds.Pod, podName);
  const container = chooseContainer(pod, podName, query.get('container') ?? '');
  if (flag(query, 'previous')) {
    throw KubeApiError.badRequest(
      `previous terminated container "${container}" in pod "${podName}" not found`,
    );
  }
  // A container that printed or ended has logs to serve whatever its status says now (a restart
  // waiting in CrashLoopBackOff still shows its last run).
  const hasRun =
    ctx.logs.lines(namespace, podName, container).length > 0 || ctx.logs.ended(namespace, podName, container);
  const waiting = waitingMessage(pod, container);
  if (waiting !== undefined && !hasRun) {
    throw KubeApiError.badRequest(
      `container "${container}" in pod "${podName}" is waiting to start: ${waiting}`,
    );
  }

  const tailLines = integer(query, 'tailLines');
  const sinceSeconds = integer(query, 'sinceSeconds');
  const sinceTimeText = query.get('sinceTime');
  let limitBytes = integer(query, 'limitBytes');
  const timestamps = flag(query, 'timestamps');
  const since =
    sinceSeconds !== undefined
      ? Date.now() - sinceSeconds * 1000
      : sinceTimeText !== null && sinceTimeText !== ''
        ? wholeSecond(Date.parse(sinceTimeText))
        : undefined;

  const format = (line: LogLine): string =>
    `${timestamps ? `${kubeletTimestamp(line.time)} ` : ''}${line.text}\n`;
  let backlog = ctx.logs
    .lines(namespace, podName, container)
    .filter((l) => since === undefined || l.time.getTime() >= since);
  if (tailLines !== undefined && tailLines >= 0)
    backlog = backlog.slice(Math.max(0, backlog.length - tailLines));

  const stream = new KubeStream(ctx, req, res, 'text/plain');
  /** Writes within `limitBytes`; false once the limit is reached and the stream ended. */
  const emit = (text: string): boolean => {
    if (limitBytes === undefined) {
      stream.write(text);
      return stream.isOpen;
    }
    const bytes = Buffer.from(text, 'utf8');
    stream.write(bytes.subarray(0, limitBytes).toString('utf8'));
    limitBytes -= Math.min(limitBytes, bytes.length);
    if (limitBytes > 0) return true;
    stream.end();
    return false;
  };
  for (const line of backlog) if (!emit(format(line))) return;
  if (!flag(query, 'follow') || !stream.isOpen) return stream.end();
  const unsubscribe = ctx.logs.follow(
    namespace,
    podName,
    container,
    (line) => void emit(format(line)),
    () => stream.end(),
  );
  stream.onClose(unsubscribe);
}

/** The container to read: the only one, or the requested one (checked against the pod's spec). */
function chooseContainer(pod: KubeObject, podName: string, requested: string): string {
  const spec = (pod.spec ?? {}) as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] };
  const containers = (spec.containers ?? []).map((c) => c.name ?? '');
  // The server names init containers first, then the others, as podutil.VisitContainers walks them.
  const all = [...(spec.initContainers ?? []).map((c) => c.name ?? ''), ...containers];
  if (requested === '') {
    if (containers.length === 1) return containers[0] ?? '';
    if (containers.length === 0)
      throw KubeApiError.badRequest(`a container name must be specified for pod ${podName}`);
    throw KubeApiError.badRequest(
      `a container name must be specified for pod ${podName}, choose one of: [${all.join(' ')}]`,
    );
  }
  if (!all.includes(requested))
    throw KubeApiError.badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/**
 * Why the kubelet cannot serve logs of a container that has none yet, in its own words; undefined
 * when it is running or has run. No reported status at all means it is still being created.
 */
function waitingMessage(pod: KubeObject, container: string): string | undefined {
  const status = (pod.status ?? {}) as {
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const mine = all.find((s) => s.name === container);
  if (mine === undefined) return 'ContainerCreating';
  const waiting = mine.state?.waiting;
  if (waiting === undefined) return undefined;
  switch (waiting.reason) {
    case 'ErrImagePull':
      return "image can't be pulled";
    case 'ImagePullBackOff':
      return 'trying and failing to pull image';
    default:
      return waiting.reason ?? 'ContainerCreating';
  }
}

/**
 * The kubelet stamps lines with RFC3339NanoFixed (kuberuntime/logs: nine fractional digits, zeros
 * kept), so stamps of one container sort as plain strings; the sandbox's clock has milliseconds.
 */
export function kubeletTimestamp(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * The API server hands `sinceTime` on to the kubelet formatted as time.RFC3339 (pod strategy's
 * LogLocation), so its fraction is lost: a follow resumed from a line's stamp repeats the lines
 * of that whole second, and clients must drop what they already had.
 */
function wholeSecond(ms: number): number {
  return Number.isNaN(ms) ? ms : Math.floor(ms / 1000) * 1000;
}
