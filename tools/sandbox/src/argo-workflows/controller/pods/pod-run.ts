import type { KubeObject } from '../../../core/kube-object';
import { Kinds } from '../../../core/resource-kinds';
import type { SandboxContext } from '../../../core/sandbox-context';
import { kubeTime } from '../../../core/sim-clock';
import { StoreError } from '../../../core/store-errors';
import type { PodLaunch } from '../engine/execution';
import { bridgeProgram, newBridgeAddress } from '../../executors/command-bridge';
import { runStep, unsupportedImage } from '../../executors/run-step';
import { UnsupportedStepError, type StepResult } from '../../executors/step-runtime';
import type { ImageFacts } from '../../executors/images/image-facts';
import { imageFacts } from '../../executors/images/image-manifest';
import type { Container, Template, Volume, VolumeMount, WorkflowSpec } from '../../workflow-types';
import { POD_ANNOTATIONS } from '../../workflow-types';
import { abortableSleep } from './abortable-sleep';
import { expandReferences, resolveEnv, SANDBOX_NODE } from './pod-env';
import { preparePodLayout, type PodLayout } from './pod-layout';
import { containerSecurityContext, podSecurityContext } from './pod-security';
import { stepIdentity, type StepIdentity } from './step-identity';
import { EXECUTOR_IMAGE, mainContainer } from './pod-manifest';
import { collectOutputs, MAX_RESULT_BYTES } from './pod-outputs';
import { loadInputArtifacts } from './pod-artifacts';
import { PodSetupError } from './pod-setup-error';
import { checkVolumeSources } from './projected-volume';
import { creatingStatus, finishedStatus, runningStatus, scheduledStatus, type Outcome } from './pod-status';

/** Simulated durations of a pod's life before its main container runs. */
export interface PodTimings {
  /** From creation to scheduled. */
  scheduleDelayMs: number;
  /** From scheduled to containers started (image pull, container create). */
  startDelayMs: number;
  /** Between polls of interpreted CLIs (argocd app wait). */
  pollIntervalMs: number;
}

const KILLED: Outcome = { exitCode: 137, reason: 'Error' };

/** kubelet's status of a pod past its activeDeadlineSeconds (pkg/kubelet/active_deadline.go). */
const DEADLINE_EXCEEDED = {
  podReason: 'DeadlineExceeded',
  podMessage: 'Pod was active on the node longer than the specified deadline',
};

/** What kubelet and the runtime set up before the main container starts. */
interface PodSetup {
  layout: PodLayout;
  env: Record<string, string>;
  facts: ImageFacts;
  identity: StepIdentity;
  bridgeAddress: string;
}

/**
 * One pod's life as kubelet and Argo's executor would live it: Pending, Scheduled, images pulled
 * and containers started (with the usual events), Running while the main container runs (its
 * output streamed to the pod log line by line), then Succeeded or Failed with container
 * statuses and the outputs annotation the controller reads.
 */
export class PodRun {
  private readonly abort = new AbortController();
  private detached = false;
  private deadlineExceeded = false;
  private cancelDeadline: (() => void) | undefined;
  private readonly main: ReturnType<typeof mainContainer>;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly namespace: string,
    private readonly workflowName: string,
    private readonly spec: WorkflowSpec,
    private readonly launch: PodLaunch,
    private readonly timings: PodTimings,
    private readonly onChange: () => void,
  ) {
    this.main = mainContainer(launch);
  }

  /** Kills the main container; the pod still ends (Failed, exit code 137). */
  kill(): void {
    this.abort.abort();
  }

  /** Stops without touching the pod again (controller shutdown). */
  detach(): void {
    this.detached = true;
    this.abort.abort();
  }

  async run(): Promise<void> {
    try {
      const outcome = await this.live();
      this.cancelDeadline?.();
      if (outcome !== undefined && !this.detached)
        this.finish(this.deadlineExceeded ? { ...outcome, ...DEADLINE_EXCEEDED } : outcome);
    } catch (error) {
      if ((error instanceof StoreError && error.reason === 'NotFound') || this.detached) return; // the pod is gone
      const message = `sandbox error: ${error instanceof Error ? error.message : String(error)}`;
      try {
        this.finish({ exitCode: 1, reason: 'Error', podMessage: message, podReason: 'SandboxError' });
      } catch {
        // the pod is gone
      }
    } finally {
      this.cancelDeadline?.();
    }
  }

  /** The pod's life up to its outcome; undefined when the run was detached. */
  private async live(): Promise<Outcome | undefined> {
    const signal = this.abort.signal;
    await abortableSleep(this.ctx.clock, this.timings.scheduleDelayMs, signal);
    if (this.detached) return undefined;
    const pod = this.update((p, status) => {
      (p.spec as Record<string, unknown>).nodeName = SANDBOX_NODE;
      scheduledStatus(status);
    });
    const assigned = `Successfully assigned ${this.namespace}/${this.launch.podName} to ${SANDBOX_NODE}`;
    this.event(pod, 'Normal', 'Scheduled', assigned, 'default-scheduler');
    if (signal.aborted) return KILLED;
    let setup: PodSetup;
    try {
      setup = await this.prepare(pod);
    } catch (error) {
      if (!(error instanceof PodSetupError || error instanceof UnsupportedStepError)) throw error;
      this.event(pod, 'Warning', 'Failed', error.message, 'kubelet');
      const podReason = error instanceof PodSetupError ? error.reason : 'SandboxUnsupportedImage';
      return { exitCode: 1, reason: 'Error', podMessage: error.message, podReason };
    }
    this.update((_p, status) => creatingStatus(status, this.main.image));
    this.onChange();
    await abortableSleep(this.ctx.clock, this.timings.startDelayMs, signal);
    if (this.detached) return undefined;
    if (signal.aborted) return KILLED;
    for (const [name, image] of [
      ['wait', EXECUTOR_IMAGE],
      ['main', this.main.image],
    ] as const) {
      this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, 'kubelet');
      this.event(pod, 'Normal', 'Created', `Created container ${name}`, 'kubelet');
      this.event(pod, 'Normal', 'Started', `Started container ${name}`, 'kubelet');
    }
    const startedAt = kubeTime(new Date());
    this.update((_p, status) => runningStatus(status, this.main.image, startedAt));
    this.startDeadline();
    this.waitLog('Starting Workflow Executor" version=v4.1.2');
    this.onChange();
    return this.runMain(setup);
  }

  private async prepare(pod: KubeObject): Promise<PodSetup> {
    const facts = imageFacts(this.main.image);
    if (facts === undefined) throw unsupportedImage(this.main.image);
    const { ctx, namespace, launch } = this;
    const security = podSecurityContext(launch.template, this.spec);
    const identity = stepIdentity(facts, security, containerSecurityContext(this.main), {
      name: launch.podName,
      namespace,
      uid: pod.metadata.uid ?? '',
    });
    const bridgeAddress = newBridgeAddress();
    const podSpec = (pod.spec ?? {}) as { volumes?: Volume[]; containers?: Container[] };
    checkVolumeSources(ctx, namespace, podSpec.volumes ?? []);
    const layout = await preparePodLayout(ctx, {
      namespace,
      workflowName: this.workflowName,
      podName: launch.podName,
      pod,
      added: addedToMain(launch.template, podSpec),
      template: launch.template,
      spec: { ...this.spec, volumes: launch.workflowVolumes ?? this.spec.volumes },
      image: facts,
      security,
      emulated: (name) => bridgeProgram(name, bridgeAddress),
    });
    const env = resolveEnv(ctx, namespace, launch.podName, this.main.env);
    await loadInputArtifacts(ctx, namespace, launch.template, layout);
    return { layout, env, facts, identity, bridgeAddress };
  }

  private async runMain(setup: PodSetup): Promise<Outcome | undefined> {
    const { layout, env } = setup;
    const { namespace, launch } = this;
    const { script, container } = launch.template;
    const expand = (words: string[] | undefined): string[] | undefined =>
      words?.map((word) => expandReferences(word, env));
    const log = (line: string): void => {
      if (!this.detached) this.ctx.logs.append(namespace, launch.podName, 'main', line);
    };
    let stdout = '';
    let result: StepResult;
    try {
      result = await runStep({
        ctx: this.ctx,
        namespace,
        podName: launch.podName,
        image: this.main.image,
        facts: setup.facts,
        identity: setup.identity,
        bridgeAddress: setup.bridgeAddress,
        ...(script !== undefined
          ? { script: script.source, command: expand(script.command), args: expand(script.args) }
          : { command: expand(container?.command), args: expand(container?.args) }),
        env,
        layout,
        signal: this.abort.signal,
        pollIntervalMs: this.timings.pollIntervalMs,
        stdout: (line) => {
          if (stdout.length < MAX_RESULT_BYTES) stdout += `${line}\n`;
          log(line);
        },
        stderr: log,
      });
    } catch (error) {
      if (!(error instanceof UnsupportedStepError)) throw error;
      log(error.message);
      return { exitCode: 1, reason: 'Error', podMessage: error.message, podReason: 'SandboxUnsupportedStep' };
    }
    if (this.detached) return undefined;
    if (this.abort.signal.aborted) result = { exitCode: 137, reason: 'Error' };
    this.waitLog('Main container completed" error="<nil>"');
    const { outputs, error } = await collectOutputs(
      launch.template,
      layout.hostPath,
      result.exitCode,
      stdout,
    );
    this.waitLog(error === undefined ? 'Saving output parameters"' : `failed to save outputs: ${error}"`);
    return {
      exitCode: result.exitCode,
      reason: result.reason ?? (result.exitCode === 0 ? 'Completed' : 'Error'),
      ...(result.message !== undefined ? { message: result.message } : {}),
      ...(error !== undefined
        ? { podMessage: `failed to save outputs: ${error}`, podReason: 'OutputsError' }
        : {}),
      outputs: JSON.stringify(outputs),
    };
  }

  /** kubelet kills a pod that has been active longer than its activeDeadlineSeconds. */
  private startDeadline(): void {
    const seconds = this.launch.activeDeadlineSeconds;
    if (seconds === undefined) return;
    this.cancelDeadline = this.ctx.clock.after(seconds * 1000, () => {
      this.deadlineExceeded = true;
      this.abort.abort();
    });
  }

  private finish(outcome: Outcome): void {
    this.update((pod, status) => {
      finishedStatus(status, this.main.image, outcome);
      if (outcome.outputs !== undefined) {
        pod.metadata.annotations = {
          ...pod.metadata.annotations,
          [POD_ANNOTATIONS.outputs]: outcome.outputs,
        };
      }
    });
    this.ctx.logs.end(this.namespace, this.launch.podName, 'main');
    this.ctx.logs.end(this.namespace, this.launch.podName, 'wait');
  }

  private update(change: (pod: KubeObject, status: Record<string, unknown>) => void): KubeObject {
    return this.ctx.store.mutate(Kinds.Pod, this.namespace, this.launch.podName, (pod) => {
      const status = (pod.status ?? {}) as Record<string, unknown>;
      change(pod, status);
      pod.status = status;
    });
  }

  private event(
    pod: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void {
    this.ctx.events.record(pod, type, reason, message, component);
  }

  private waitLog(text: string): void {
    if (this.detached) return;
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.ctx.logs.append(
      this.namespace,
      this.launch.podName,
      'wait',
      `time="${time}" level=info msg="${text}`,
    );
  }
}

/**
 * The main container's mounts that the pod has and the template does not name, with their
 * volumes: what Argo (/var/run/argo) and the API server (the service account token) added.
 */
function addedToMain(
  template: Template,
  podSpec: { volumes?: Volume[]; containers?: Container[] },
): { volumes: Volume[]; mounts: VolumeMount[] } {
  const own = new Set(((template.container ?? template.script)?.volumeMounts ?? []).map((m) => m.name));
  const main = podSpec.containers?.find((c) => c.name === 'main');
  const mounts = (main?.volumeMounts ?? []).filter((m) => !own.has(m.name));
  const names = new Set(mounts.map((m) => m.name));
  return { volumes: (podSpec.volumes ?? []).filter((v) => names.has(v.name)), mounts };
}
