import type { StepRuntime } from './step-runtime';

/** A step's environment, as the container sees it and as the host process gets it. */
export interface StepEnvironment {
  container: Record<string, string>;
  host: NodeJS.ProcessEnv;
}

/**
 * The main container's environment as the runtime builds it: the image's Env, HOSTNAME, the pod
 * spec's env (kubelet-resolved, it wins), Argo's ARGO_POD_NAME and ARGO_CONTAINER_NAME, and HOME
 * from the user's passwd entry when nothing set it (runc's setupUser). Nothing of this machine's
 * environment leaks in. For the host process every value's container paths are mapped, PATH
 * folders included; TMPDIR points at the container's /tmp so programs that honour it stay inside
 * the step's own filesystem (part of the path mapping, see PathMapper).
 */
export function stepEnvironment(rt: StepRuntime): StepEnvironment {
  const { mapper } = rt.layout;
  const container: Record<string, string> = {
    ...rt.facts.env,
    HOSTNAME: rt.podName,
    ...rt.env,
    ARGO_POD_NAME: rt.podName,
    ARGO_CONTAINER_NAME: 'main',
  };
  container.HOME ??= rt.identity.home;
  const hostDir = (dir: string): string => (dir.startsWith('/') ? rt.layout.hostPath(dir) : dir);
  const host: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(container)) {
    host[key] =
      key === 'PATH'
        ? value.split(':').map(hostDir).join(':')
        : key === 'HOME'
          ? hostDir(value)
          : mapper.rewrite(value);
  }
  if (container.TMPDIR === undefined && mapper.covers('/tmp')) host.TMPDIR = mapper.toHost('/tmp');
  return { container, host };
}
