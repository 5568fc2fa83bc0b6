import type { KubeConfig } from '@kubernetes/client-node';
import { Labels, PLATFORM_WORKFLOWS_SELECTOR } from '@platform/domain';
import { deploymentsResource, eventsResource, podsResource, watchResource } from '@platform/k8s';
import type { UpstreamClients, WatchTuning } from '@platform/service-runtime';
import type { UpstreamsConfig } from '../config/summary-config';
import { APPLICATION_FIELDS } from '../fold/from-application';
import { WORKFLOW_FIELDS } from '../fold/from-workflow';
import { UpstreamSources, type ConnectionListener } from './upstream-sources';

/** How soon a dropped watch is reopened (its idle timeout is the service's UPSTREAM_IDLE_TIMEOUT_MS). */
const STREAMS: WatchTuning = { backoff: { initialMs: 200, maxMs: 5_000 } };

/**
 * The real upstreams: Argo CD Applications and Argo Workflows through their servers' watch
 * streams (libs/argo-client), the apps' pods, Deployments and Warning events through Kubernetes watches
 * (libs/k8s), all filtered to the platform's objects by its labels. The Argo watches ask only for
 * the paths the fold reads: whole objects made a full resync of 10,000 apps move about 120 MB.
 */
export class HttpUpstreamSources extends UpstreamSources {
  constructor(
    private readonly config: UpstreamsConfig,
    private readonly clients: UpstreamClients,
    private readonly kc: KubeConfig,
    private readonly streams = STREAMS,
  ) {
    super();
  }

  applications(listen: ConnectionListener): ReturnType<UpstreamSources['applications']> {
    const argocd = this.clients.argoCd(this.config.argocd, { ...this.streams, onConnection: listen });
    return argocd.watch({
      selector: Labels.app,
      fields: APPLICATION_FIELDS,
    });
  }

  workflows(listen: ConnectionListener): ReturnType<UpstreamSources['workflows']> {
    const { argo } = this.config;
    const workflows = this.clients.argoWorkflows(argo, { ...this.streams, onConnection: listen });
    return workflows.watch(argo.namespace, {
      labelSelector: PLATFORM_WORKFLOWS_SELECTOR,
      fields: WORKFLOW_FIELDS,
    });
  }

  pods(listen: ConnectionListener): ReturnType<UpstreamSources['pods']> {
    return watchResource(this.kc, podsResource(this.kc), {
      labelSelector: Labels.app,
      onConnection: listen,
      backoff: STREAMS.backoff,
    });
  }

  deployments(listen: ConnectionListener): ReturnType<UpstreamSources['deployments']> {
    return watchResource(this.kc, deploymentsResource(this.kc), {
      labelSelector: Labels.app,
      onConnection: listen,
      backoff: STREAMS.backoff,
    });
  }

  warnings(listen: ConnectionListener): ReturnType<UpstreamSources['warnings']> {
    return watchResource(this.kc, eventsResource(this.kc), {
      fieldSelector: 'type=Warning',
      onConnection: listen,
      backoff: STREAMS.backoff,
    });
  }
}
