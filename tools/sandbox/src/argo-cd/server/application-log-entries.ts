import { kubeTime } from '../../core/sim-clock';
import type { PodObject } from '../../kubernetes/controllers/workload-types';
import type { AppLogQuery } from './application-logs';

/** One line of one pod on its way to the client. */
export interface LogLine {
  podName: string;
  line: string;
  /** Epoch ms; undefined for an error line (Go's zero time). */
  time?: number;
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
export function containerFor(pod: PodObject, requested: string): { name: string } | { error: string } {
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
export function pushLine(entries: LogLine[], podName: string, text: string, time: Date): void {
  for (const line of text.trim().split('\r')) entries.push({ podName, line, time: time.getTime() });
}

export function selectLines<T extends { time: Date }>(lines: readonly T[], q: AppLogQuery): readonly T[] {
  let selected = lines;
  if (q.sinceSeconds !== undefined) {
    const since = Date.now() - q.sinceSeconds * 1000;
    selected = selected.filter((line) => line.time.getTime() >= since);
  }
  if (q.tailLines !== undefined) selected = selected.slice(Math.max(0, selected.length - q.tailLines));
  return selected;
}

export function passesFilter(line: string, filter: string, matchCase: boolean): boolean {
  const inverse = filter.startsWith('!');
  const literal = inverse ? filter.slice(1) : filter;
  const contains = matchCase ? line.includes(literal) : line.toLowerCase().includes(literal.toLowerCase());
  return inverse ? !contains : contains;
}

export function frame(entry: LogLine, last: boolean): Record<string, unknown> {
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
