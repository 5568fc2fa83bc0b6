import type { Container, PodObject } from './workload-types';

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
}

/**
 * The kubelet's `verifyRunAsNonRoot` for what it can tell without the image's config: a container
 * that must not run as root but is told to run as uid 0 does not start
 * (CreateContainerConfigError). An image's own USER is not known to the sandbox.
 */
export function runAsNonRootProblem(pod: PodObject, container: Container): string | undefined {
  const podContext = (pod.spec.securityContext ?? {}) as SecurityContext;
  const own = (container.securityContext ?? {}) as SecurityContext;
  const runAsNonRoot = own.runAsNonRoot ?? podContext.runAsNonRoot;
  const runAsUser = own.runAsUser ?? podContext.runAsUser;
  if (runAsNonRoot !== true || runAsUser !== 0) return undefined;
  const formatted = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
  return `container's runAsUser breaks non-root policy (pod: ${JSON.stringify(formatted)}, container: ${container.name})`;
}

/**
 * Simulated ms from a container's start to Ready: the kubelet marks a container without a
 * readiness probe ready once it runs; with one, after its initial delay and as many successful
 * probes, a period apart, as its success threshold asks (`startMs` stands for the app starting).
 */
export function readinessDelayMs(container: Container, startMs: number): number {
  const probe = container.readinessProbe as Probe | undefined;
  if (probe === undefined) return startMs;
  const period = (probe.periodSeconds ?? 10) * 1000;
  const first = Math.max(startMs, (probe.initialDelaySeconds ?? 0) * 1000);
  return first + ((probe.successThreshold ?? 1) - 1) * period;
}
