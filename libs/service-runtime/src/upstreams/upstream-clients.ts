import type { KubeConfig } from '@kubernetes/client-node';
import {
  argoCdAuth,
  argoWorkflowsAuth,
  gitServerFor,
  HttpArgoCd,
  HttpArgoWorkflows,
  HttpTransport,
  imageRegistry,
  type ArgoCd,
  type ArgoWorkflows,
  type GitServer,
  type ImageRegistry,
  type StreamOptions,
  type TransportOptions,
} from '@platform/argo-client';
import { loadKubeConfig } from '@platform/k8s';
import type {
  ArgoCdSettings,
  ArgoWorkflowsSettings,
  GitConnectionSettings,
  KubernetesSettings,
  RegistryConnectionSettings,
} from '../config/upstream-env';
import type { UpstreamTimeouts } from '../config/upstream-timeouts-env';
import { RequestContext } from '../logging/request-context';
import type { HttpMetrics } from '../metrics/http-metrics';

export interface UpstreamClientsOptions {
  timeouts: UpstreamTimeouts;
  /** Where every call is recorded (`upstream_request_duration_seconds`, and Server-Timing). */
  metrics: HttpMetrics;
  /**
   * Cancel a call when the request it was made for runs out of time or its client leaves. Off
   * for a service whose calls outlive the request that started them (a watch shared by every
   * client of a topic must not stop because its first client left).
   */
  cancelWithRequest: boolean;
}

/** What a watch of a client may tune; its idle timeout is the service's UPSTREAM_IDLE_TIMEOUT_MS. */
export type WatchTuning = Omit<StreamOptions, 'idleTimeoutMs'>;

type Connection = Omit<TransportOptions, 'upstream' | 'auth' | 'baseUrl'>;

/**
 * The one way a service reaches its upstreams: each client built from the service's validated
 * settings, with its auth and TLS, the service's timeouts, the current request id on every call,
 * and every call recorded in the service's metrics.
 */
export class UpstreamClients {
  constructor(private readonly options: UpstreamClientsOptions) {}

  argoWorkflows(settings: ArgoWorkflowsSettings, watches: WatchTuning = {}): ArgoWorkflows {
    return new HttpArgoWorkflows(
      new HttpTransport({
        ...this.connection(settings),
        upstream: 'ARGO_WORKFLOWS',
        baseUrl: settings.url,
        auth: argoWorkflowsAuth(settings),
      }),
      this.watches(watches),
    );
  }

  argoCd(settings: ArgoCdSettings, watches: WatchTuning = {}): ArgoCd {
    const login = { ...this.connection(settings), baseUrl: settings.url };
    return new HttpArgoCd(
      new HttpTransport({ ...login, upstream: 'ARGO_CD', auth: argoCdAuth(settings, login) }),
      this.watches(watches),
    );
  }

  gitServer(settings: GitConnectionSettings): GitServer {
    return gitServerFor({
      ...this.connection(settings),
      provider: settings.provider,
      url: settings.url,
      token: settings.token,
    });
  }

  imageRegistry(settings: RegistryConnectionSettings): ImageRegistry {
    const { username, password } = settings;
    return imageRegistry({
      ...this.connection(settings),
      url: settings.url,
      credentials: username === undefined || password === undefined ? undefined : { username, password },
    });
  }

  /**
   * The Kubernetes API's connection (client-node makes its calls: they carry its own auth and
   * TLS from the kubeconfig or the pod's service account).
   */
  kubernetes(settings: KubernetesSettings): KubeConfig {
    return loadKubeConfig({ kubeconfigPath: settings.kubeconfigPath });
  }

  private connection(tls: { ca?: string; insecureSkipTlsVerify: boolean }): Connection {
    const { timeouts, metrics, cancelWithRequest } = this.options;
    return {
      tls: { ca: tls.ca, insecureSkipTlsVerify: tls.insecureSkipTlsVerify },
      timeoutMs: timeouts.requestMs,
      contextHeaders: () => RequestContext.headers(),
      contextSignal: cancelWithRequest ? () => RequestContext.signal() : undefined,
      onCall: (call) => metrics.observeUpstream(call),
    };
  }

  private watches(tuning: WatchTuning): StreamOptions {
    return { ...tuning, idleTimeoutMs: this.options.timeouts.idleMs };
  }
}
