import type { Condition, ContainerStatus, PodStatus } from './workload-types';

/** What the kubelet knows about a pod; rendered into `status` on every change. */
export interface PodState {
  phase: PodStatus['phase'];
  scheduledAt?: string;
  initializedAt?: string;
  /** Since when the pod has been Ready, or not Ready. */
  readyChangedAt?: string;
  hostIP: string;
  podIP: string;
  containers: ContainerStatus[];
  /** What the API server set when the pod was created (BestEffort, Burstable, Guaranteed). */
  qosClass?: string;
}

/** Renders the pod status the way the kubelet writes it (condition order included). */
export function renderPodStatus(state: PodState): PodStatus {
  const status: PodStatus = { phase: state.phase };
  const qosClass = state.qosClass ?? 'BestEffort';
  if (state.scheduledAt === undefined) return { ...status, qosClass };
  const conditions: Condition[] = [];
  if (state.initializedAt !== undefined) {
    const unready = state.containers.filter((c) => !c.ready).map((c) => c.name);
    const ready = unready.length === 0 ? 'True' : 'False';
    const readyAt = state.readyChangedAt ?? state.initializedAt;
    const notReady =
      ready === 'True'
        ? {}
        : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    conditions.push(
      condition('PodReadyToStartContainers', 'True', state.initializedAt),
      condition('Initialized', 'True', state.initializedAt),
      { ...condition('Ready', ready, readyAt), ...notReady },
      { ...condition('ContainersReady', ready, readyAt), ...notReady },
    );
  }
  conditions.push(condition('PodScheduled', 'True', state.scheduledAt));
  status.conditions = conditions;
  if (state.initializedAt !== undefined) {
    status.hostIP = state.hostIP;
    status.podIP = state.podIP;
    status.podIPs = [{ ip: state.podIP }];
    status.startTime = state.initializedAt;
    status.containerStatuses = state.containers.map((c) => structuredClone(c));
  }
  status.qosClass = qosClass;
  return status;
}

function condition(type: string, status: Condition['status'], at: string): Condition {
  return { type, status, lastProbeTime: null, lastTransitionTime: at };
}

/** A container that has not started yet (image being pulled). */
export function creatingContainer(name: string, image: string): ContainerStatus {
  return {
    name,
    image,
    imageID: '',
    state: { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
    ready: false,
    started: false,
    restartCount: 0,
  };
}

/** A pod-sized address in the sandbox's pod network, stable for a pod name. */
export function podIpFor(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return `10.244.${(hash >>> 8) % 256}.${(hash % 253) + 2}`;
}

export const HOST_IP = '172.18.0.2';
