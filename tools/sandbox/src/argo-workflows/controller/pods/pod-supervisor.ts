import type { KubeObject } from '../../../core/kube-object';
import { LabelSelector } from '../../../core/label-selector';
import { Kinds } from '../../../core/resource-kinds';
import type { SandboxContext } from '../../../core/sandbox-context';
import type { PodLaunch, PodView } from '../engine/execution';
import type { Container, Volume, WorkflowSpec } from '../../workflow-types';
import {
  addServiceAccountVolume,
  admitServiceAccount,
} from '../../../kubernetes/controllers/service-account-admission';
import { WORKFLOW_LABELS } from '../../workflow-types';
import { podManifest } from './pod-manifest';
import { PodRun, type PodTimings } from './pod-run';

/**
 * The pods this controller is running, keyed by namespace and name: creates Pod objects, starts
 * and kills their runs, and tells the controller (via `onChange`) when a pod moved on so the
 * workflow is operated again.
 */
export class PodSupervisor {
  private readonly runs = new Map<string, PodRun>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly timings: PodTimings,
    private readonly onChange: (namespace: string, workflowName: string) => void,
  ) {}

  view(namespace: string): PodView {
    return {
      get: (podName) => this.ctx.store.get(Kinds.Pod, namespace, podName),
      isRunning: (podName) => this.runs.has(key(namespace, podName)),
    };
  }

  /** Creates the pod (replacing a stale one of the same name) and starts running it. */
  launch(workflow: KubeObject, spec: WorkflowSpec, launch: PodLaunch): void {
    const namespace = workflow.metadata.namespace ?? '';
    const workflowName = workflow.metadata.name ?? '';
    const k = key(namespace, launch.podName);
    this.runs.get(k)?.detach();
    if (this.ctx.store.get(Kinds.Pod, namespace, launch.podName) !== undefined) {
      this.ctx.store.delete(Kinds.Pod, namespace, launch.podName);
    }
    this.ctx.logs.deletePod(namespace, launch.podName);
    const pod = podManifest(workflow, spec, launch);
    const podSpec = pod.spec as { serviceAccountName?: string; automountServiceAccountToken?: boolean };
    // The node's setup already checked the account exists (serviceAccountSetup).
    const admitted = admitServiceAccount(this.ctx.store, namespace, launch.podName, podSpec);
    if (!('error' in admitted) && admitted.automount) addServiceAccountVolume(pod.spec as PodSpecMounts);
    this.ctx.store.create(Kinds.Pod, pod);
    const changed = (): void => this.onChange(namespace, workflowName);
    const run = new PodRun(this.ctx, namespace, workflowName, spec, launch, this.timings, changed);
    this.runs.set(k, run);
    void run.run().finally(() => {
      if (this.runs.get(k) === run) this.runs.delete(k);
      changed();
    });
  }

  kill(namespace: string, podName: string): void {
    this.runs.get(key(namespace, podName))?.kill();
  }

  /** Labels a pod whose node the controller has recorded as finished. */
  markCompleted(namespace: string, podName: string): void {
    const pod = this.ctx.store.get(Kinds.Pod, namespace, podName);
    if (pod === undefined || pod.metadata.labels?.[WORKFLOW_LABELS.completed] === 'true') return;
    this.ctx.store.mutate(Kinds.Pod, namespace, podName, (p) => {
      p.metadata.labels = { ...p.metadata.labels, [WORKFLOW_LABELS.completed]: 'true' };
    });
  }

  /** A deleted workflow's pods go too (Kubernetes garbage-collects them by owner). */
  forgetWorkflow(namespace: string, workflowName: string): void {
    const selector = LabelSelector.fromLabels({ [WORKFLOW_LABELS.workflow]: workflowName });
    for (const pod of this.ctx.store.list(Kinds.Pod, { namespace, labelSelector: selector }).items) {
      const podName = pod.metadata.name ?? '';
      this.runs.get(key(namespace, podName))?.detach();
      this.runs.delete(key(namespace, podName));
      this.ctx.store.delete(Kinds.Pod, namespace, podName);
    }
  }

  /** Stops every run without touching the pods (the controller stops; a new one will resume). */
  detachAll(): void {
    for (const run of this.runs.values()) run.detach();
    this.runs.clear();
  }

  get running(): number {
    return this.runs.size;
  }
}

type PodSpecMounts = { volumes?: Volume[]; containers?: Container[] };

function key(namespace: string, podName: string): string {
  return `${namespace}/${podName}`;
}
