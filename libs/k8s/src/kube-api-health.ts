import { Observable, VersionApi, type ConfigurationOptions, type KubeConfig } from '@kubernetes/client-node';
import { kubeError } from './kube-errors';

export interface KubeApiProbeOptions {
  /** Aborts the request (a probe that took too long must not linger). */
  signal?: AbortSignal;
}

/**
 * The API server's version (`GET /version`) through the service's own kube config: it proves the
 * server answers over the configured TLS and token (a wrong token is 401 even there). Failures are
 * named platform errors carrying the reason (unreachable, 401, 503...).
 */
export async function kubeApiVersion(kc: KubeConfig, options: KubeApiProbeOptions = {}): Promise<string> {
  try {
    const info = await kc.makeApiClient(VersionApi).getCode(undefined, abortable(options.signal));
    return info.gitVersion;
  } catch (error) {
    throw kubeError(error);
  }
}

/** Request options that hand `signal` to the request; the kube config's own auth is kept. */
function abortable(signal: AbortSignal | undefined): ConfigurationOptions | undefined {
  if (signal === undefined) return undefined;
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
