import type { KubeObject } from '../../core/kube-object';
import type { DeploymentObject, PodObject } from '../../kubernetes/controllers/workload-types';
import type { HealthCode, ResourceHealth } from './app-types';

/** gitops-engine's order: a status later in the list is worse. */
const HEALTH_ORDER: HealthCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export function worstHealth(codes: HealthCode[]): HealthCode {
  return codes.reduce<HealthCode>(
    (worst, code) => (HEALTH_ORDER.indexOf(code) > HEALTH_ORDER.indexOf(worst) ? code : worst),
    'Healthy',
  );
}

/**
 * The health of one live object by Argo CD's built-in checks; undefined for kinds without a
 * health check (ConfigMap, Secret, ServiceAccount...), which do not count towards the app's health.
 */
export function resourceHealth(object: KubeObject | undefined, kind: string): ResourceHealth | undefined {
  if (object === undefined) return { status: 'Missing' };
  switch (kind) {
    case 'Deployment':
      return deploymentHealth(object as DeploymentObject);
    case 'Service':
      return serviceHealth(object);
    case 'Pod':
      return podHealth(object as PodObject);
    case 'Namespace':
      return { status: 'Healthy' };
    default:
      return undefined;
  }
}

/** gitops-engine `getAppsv1DeploymentHealth`, message for message. */
export function deploymentHealth(deployment: DeploymentObject): ResourceHealth {
  const spec = deployment.spec;
  const status = deployment.status ?? {};
  if (spec.paused === true) return { status: 'Suspended', message: 'Deployment is paused' };
  if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return {
      status: 'Progressing',
      message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
    };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  const replicas = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      status: 'Degraded',
      message: `Deployment "${deployment.metadata.name ?? ''}" exceeded its progress deadline`,
    };
  }
  if (updated < replicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
    };
  }
  if ((status.replicas ?? 0) > updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}

function serviceHealth(service: KubeObject): ResourceHealth {
  const spec = service.spec as { type?: string } | undefined;
  const ingress = (service.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer
    ?.ingress;
  if (spec?.type === 'LoadBalancer' && (ingress?.length ?? 0) === 0) return { status: 'Progressing' };
  return { status: 'Healthy' };
}

/** Why a container of the pod is stuck (back-off or pull errors), if it is. */
export function podTrouble(pod: PodObject): string | undefined {
  for (const container of pod.status?.containerStatuses ?? []) {
    const waiting = container.state.waiting;
    if (
      waiting !== undefined &&
      ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'InvalidImageName'].includes(waiting.reason)
    ) {
      return waiting.message ?? waiting.reason;
    }
  }
  return undefined;
}

function podHealth(pod: PodObject): ResourceHealth {
  const trouble = podTrouble(pod);
  if (trouble !== undefined) return { status: 'Degraded', message: trouble };
  switch (pod.status?.phase) {
    case 'Succeeded':
      return { status: 'Healthy' };
    case 'Failed':
      return { status: 'Degraded' };
    case 'Running':
      return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    default:
      return { status: 'Progressing' };
  }
}
