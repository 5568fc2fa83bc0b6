import type { KubeObject } from '../../../core/kube-object';
import { AGE_COLUMN, column, NAME_COLUMN, type TableColumn } from './columns';
import { ageOf, humanDuration } from './human-duration';
import type { PrintedRow } from './printers';

export const POD_COLUMNS: TableColumn[] = [
  NAME_COLUMN,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  AGE_COLUMN,
  column(
    'IP',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    {
      priority: 1,
    },
  ),
  column('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', {
    priority: 1,
  }),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', {
    priority: 1,
  }),
];

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodShape {
  spec?: {
    containers?: unknown[];
    initContainers?: Array<{ name: string; restartPolicy?: string }>;
    nodeName?: string;
    readinessGates?: Array<{ conditionType: string }>;
  };
  status?: {
    phase?: string;
    reason?: string;
    podIPs?: Array<{ ip: string }>;
    nominatedNodeName?: string;
    conditions?: Array<{ type: string; status: string; reason?: string }>;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

const SUCCEEDED = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const FAILED = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/**
 * kube-apiserver's `printPod` (kubernetes/kubernetes pkg/printers/internalversion/printers.go):
 * READY counts ready running containers (and started sidecars), STATUS is the phase unless a
 * container's waiting/terminated reason (or an init step, or Terminating) says more, RESTARTS
 * adds when the last restart was.
 */
export function podRow(object: KubeObject, now: number): PrintedRow {
  const { spec = {}, status = {} } = object as PodShape;
  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  const sidecar = (name: string): boolean => initSpecs.get(name)?.restartPolicy === 'Always';
  let total = (spec.containers ?? []).length + [...initSpecs.keys()].filter(sidecar).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  let reason = status.reason !== undefined && status.reason !== '' ? status.reason : (status.phase ?? '');
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated')
      reason = 'SchedulingGated';
  }

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (const [i, container] of inits.entries()) {
    restarts += container.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(container.lastState));
    if (sidecar(container.name)) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(container.lastState));
    }
    const { terminated, waiting } = container.state ?? {};
    if (terminated !== undefined && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar(container.name) && container.started === true) {
      if (container.ready === true) ready += 1;
      continue;
    }
    if (terminated !== undefined) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    for (const container of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += container.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(container.lastState));
      const { waiting, terminated, running } = container.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated !== undefined) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready === true && running !== undefined) {
        hasRunning = true;
        ready += 1;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (object.metadata.deletionTimestamp !== undefined) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (!terminal) reason = 'Terminating';
  }
  const restartText =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  total = Math.max(total, 0);
  const row: PrintedRow = {
    cells: [
      object.metadata.name ?? '',
      `${ready}/${total}`,
      reason,
      restartText,
      ageOf(object.metadata.creationTimestamp, now),
      status.podIPs?.[0]?.ip || '<none>',
      spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(spec, status),
    ],
  };
  if (status.phase === 'Succeeded') row.conditions = SUCCEEDED;
  if (status.phase === 'Failed') row.conditions = FAILED;
  return row;
}

function finishedAt(state: ContainerState | undefined): number {
  const at = state?.terminated?.finishedAt;
  return at === undefined ? 0 : Date.parse(at);
}

function readinessGates(
  spec: NonNullable<PodShape['spec']>,
  status: NonNullable<PodShape['status']>,
): string {
  const gates = spec.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const met = gates.filter(
    (gate) => status.conditions?.find((c) => c.type === gate.conditionType)?.status === 'True',
  ).length;
  return `${met}/${gates.length}`;
}
