import type { KubeObject } from '../../../core/kube-object';
import { podName } from '../naming';
import {
  isFulfilled,
  POD_ANNOTATIONS,
  type NodeOutputs,
  type NodeStatus,
  type Template,
} from '../../workflow-types';
import { pastWorkflowDeadline, podActiveDeadlineSeconds, STEP_DEADLINE_MESSAGE } from './deadlines';
import { entrypointLookupError } from './entrypoint-lookup';
import { serviceAccountSetup } from './service-account-setup';
import { substituteDeep } from './variables';
import { isBlocked, type ExecOptions, type Execution } from './execution';

interface ContainerState {
  terminated?: {
    exitCode?: number;
    reason?: string;
    message?: string;
    finishedAt?: string;
    startedAt?: string;
  };
}

/**
 * Runs a container or script template as a Pod node: the first visit creates the node (Pending)
 * and asks for a pod; later visits read the pod the way Argo's pod reconciliation does. A node
 * whose pod this controller is not running (after a restart) gets a fresh pod.
 */
export function executePod(
  ex: Execution,
  nodeName: string,
  template: Template,
  opts: ExecOptions,
): NodeStatus {
  const pod = podName(ex.workflowName, nodeName, template.name);
  const activeDeadlineSeconds = podActiveDeadlineSeconds(ex, template, opts);
  const accounts = serviceAccountSetup(ex.store, ex.namespace, ex.spec, template, pod);
  const launch = {
    nodeId: ex.book.idOf(nodeName),
    nodeName,
    podName: pod,
    template,
    ...(activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds } : {}),
    // Argo substitutes the globals into the workflow's volumes, unresolved ones left as written.
    ...(ex.spec.volumes !== undefined
      ? { workflowVolumes: substituteDeep(ex.spec.volumes, ex.globals) }
      : {}),
    ...('executorTokenSecret' in accounts && accounts.executorTokenSecret !== undefined
      ? { executorTokenSecret: accounts.executorTokenSecret }
      : {}),
  };
  // Past the workflow's deadline Argo creates no pod and fails the node, or kills the running one.
  const expired = pastWorkflowDeadline(ex, opts);
  let node = ex.book.byName(nodeName);
  if (node === undefined) {
    node = ex.book.init(nodeName, 'Pod', opts.boundaryId, template.name, 'Pending');
    if (isBlocked(ex, opts))
      return ex.book.mark(node, 'Failed', `workflow shutdown with strategy: ${ex.shutdown}`);
    const lookupError = entrypointLookupError(template);
    if (lookupError !== undefined) return ex.book.mark(node, 'Error', lookupError);
    if (expired) return ex.book.mark(node, 'Failed', STEP_DEADLINE_MESSAGE);
    // Argo builds the pod and the API server admits it in the same call: either refusal errors the node.
    if ('error' in accounts) return ex.book.mark(node, 'Error', accounts.error);
    ex.launches.push(launch);
    return node;
  }
  if (isFulfilled(node.phase)) return node;
  if (isBlocked(ex, opts)) {
    ex.kills.push(pod);
    ex.completedPods.add(pod);
    return ex.book.mark(node, 'Failed', `workflow shutdown with strategy:  ${ex.shutdown}`);
  }
  if (expired) {
    ex.kills.push(pod);
    ex.completedPods.add(pod);
    return ex.book.mark(node, 'Failed', STEP_DEADLINE_MESSAGE);
  }
  const object = ex.pods.get(pod);
  if (object !== undefined && object.metadata.annotations?.[POD_ANNOTATIONS.nodeId] === node.id) {
    reconcile(ex, node, object);
  }
  if (!isFulfilled(node.phase) && !ex.pods.isRunning(pod)) {
    if ('error' in accounts) return ex.book.mark(node, 'Error', accounts.error);
    ex.launches.push(launch);
  }
  if (isFulfilled(node.phase)) ex.completedPods.add(pod);
  return node;
}

function reconcile(ex: Execution, node: NodeStatus, pod: KubeObject): void {
  const status = (pod.status ?? {}) as {
    phase?: string;
    message?: string;
    containerStatuses?: Array<{ name: string; state?: ContainerState }>;
  };
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (spec.nodeName !== undefined) node.hostNodeName = spec.nodeName;
  const main = status.containerStatuses?.find((c) => c.name === 'main')?.state?.terminated;
  switch (status.phase) {
    case 'Running':
      ex.book.mark(node, 'Running');
      return;
    case 'Succeeded':
    case 'Failed': {
      const outputs = readOutputs(pod);
      if (outputs !== undefined) node.outputs = outputs;
      const failed = status.phase === 'Failed';
      // A pod that ran faster than one operation still passes through Running, as watchers expect.
      if (node.phase === 'Pending') ex.book.mark(node, 'Running');
      ex.book.mark(node, failed ? 'Failed' : 'Succeeded', failed ? failureMessage(status.message, main) : '');
      if (main?.finishedAt !== undefined) node.finishedAt = main.finishedAt;
      node.progress = '1/1';
      const seconds = durationSeconds(node.startedAt, node.finishedAt);
      node.resourcesDuration = { cpu: seconds, memory: seconds };
      return;
    }
    default:
      return;
  }
}

/** Argo's message for a failed pod: the pod's own message, else `<reason> (exit code N): <termination message>`. */
function failureMessage(podMessage: string | undefined, main: ContainerState['terminated']): string {
  if (podMessage !== undefined && podMessage !== '') return podMessage;
  if (main === undefined) return 'pod failed';
  const base = `${main.reason ?? 'Error'} (exit code ${main.exitCode ?? 1})`;
  return main.message !== undefined && main.message !== '' ? `${base}: ${main.message}` : base;
}

function readOutputs(pod: KubeObject): NodeOutputs | undefined {
  const raw = pod.metadata.annotations?.[POD_ANNOTATIONS.outputs];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as NodeOutputs;
  } catch {
    return undefined;
  }
}

function durationSeconds(from: string | null, to: string | null): number {
  if (from === null || to === null) return 0;
  return Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}
