import type { SandboxContext } from '../../core/sandbox-context';
import type { ImageFacts } from './images/image-facts';
import type { PodLayout } from '../controller/pods/pod-layout';
import type { StepIdentity } from '../controller/pods/step-identity';

/** Everything an executor needs to run a pod's main container. Paths are still container paths. */
export interface StepRuntime {
  ctx: SandboxContext;
  namespace: string;
  podName: string;
  image: string;
  /** What the sandbox knows of the image (its manifest entry). */
  facts: ImageFacts;
  /** The user, group and groups the main container runs as. */
  identity: StepIdentity;
  /** Socket address of the command bridge the image's interpreted programs call. */
  bridgeAddress: string;
  command?: string[];
  args?: string[];
  /** A script template's source (written to a file and passed to `command`). */
  script?: string;
  /** The container's resolved env, as the pod spec gives it (container paths, not yet remapped). */
  env: Record<string, string>;
  layout: PodLayout;
  signal: AbortSignal;
  /** Simulated ms between polls of interpreted CLIs (argocd app wait). */
  pollIntervalMs: number;
  /** One line the container printed on stdout / stderr. */
  stdout(line: string): void;
  stderr(line: string): void;
}

/** How the main container ended. */
export interface StepResult {
  exitCode: number;
  /** Container termination reason (Completed, Error, StartError, OOMKilled...). */
  reason?: string;
  /** Termination message: Kubernetes' FallbackToLogsOnError keeps the tail of the log. */
  message?: string;
}

export type StepExecutor = (rt: StepRuntime) => Promise<StepResult>;

/** Thrown when the sandbox cannot run a step at all; its message becomes the node's. */
export class UnsupportedStepError extends Error {
  constructor(image: string, why: string) {
    super(`sandbox cannot run image "${image}": ${why}`);
    this.name = 'UnsupportedStepError';
  }
}
