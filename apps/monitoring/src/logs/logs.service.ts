import { KubeConfig } from '@kubernetes/client-node';
import { Injectable } from '@nestjs/common';
import { Labels } from '@platform/domain';
import type { PodLogLine } from '@platform/domain';
import { InvalidRequestError } from '@platform/errors';
import { appContainerNames, recentPodLogs } from '@platform/k8s';
import type { Principal } from '@platform/service-runtime';
import { AppAccess } from '../access/app-access';
import { MonitoringConfig } from '../config/monitoring-config';
import { TopicHub } from '../streams/topic-hub';
import type { TopicRequest } from '../streams/topic-streams';
import { MAX_TAIL, type LogsQuery } from './logs.dto';
import { logsView } from './app-logs-state';
import { containerLogsSource, type AppLogsTopic } from './container-logs.source';
import { appLogsSource } from './logs.source';

const DEFAULT_TAIL = 100;

/** Merged pod logs of an app: the shared stream topic and the one-off read. */
@Injectable()
export class LogsService {
  constructor(
    private readonly access: AppAccess,
    private readonly kc: KubeConfig,
    private readonly config: MonitoringConfig,
    private readonly hub: TopicHub,
  ) {}

  async topic(
    app: string,
    principal: Principal,
    query: LogsQuery = {},
    ref = `logs:${app}`,
  ): Promise<TopicRequest> {
    const { namespace, environment } = await this.access.authorize(app, principal, query.environment);
    const container = query.container;
    // One topic per app and environment: each environment is its own namespace and pods.
    const topic = `logs:${app}@${environment}`;
    // All of the app's clients share one follow per container; tail, since and container cut
    // each client's own snapshot.
    const all: AppLogsTopic = {
      key: `${topic}:*`,
      source: () =>
        appLogsSource(this.kc, {
          namespace,
          app,
          keepLines: MAX_TAIL,
          idleTimeoutMs: this.config.upstreamTimeouts.idleMs,
        }),
    };
    const view = logsView(query.tail ?? DEFAULT_TAIL, query.since, container);
    const authorize = (): Promise<unknown> => this.access.authorize(app, principal, environment);
    if (container === undefined) return { ref, ...all, view, authorize };
    const key = `${topic}:${container}`;
    if (this.hub.peek(key) === undefined) await this.checkContainer(app, namespace, container);
    return { ref, key, source: () => containerLogsSource(this.hub, all, container), view, authorize };
  }

  /**
   * Refuses a container the app does not run (nor is about to: its Deployments' templates count),
   * before a pod watch is opened for it: a typo gets a 400 naming the app's containers instead of
   * a stream that never shows a line. Checked when the topic is new only; an app with no workloads
   * at all has nothing to check against yet.
   */
  private async checkContainer(app: string, namespace: string, container: string): Promise<void> {
    const names = await appContainerNames(this.kc, { namespace, labelSelector: `${Labels.app}=${app}` });
    if (names.size === 0 || names.has(container)) return;
    const known = [...names].sort();
    throw new InvalidRequestError(
      'UNKNOWN_CONTAINER',
      `app ${app} runs no container named ${container}; its containers: ${known.join(', ')}`,
      { container, containers: known },
    );
  }

  async recent(app: string, principal: Principal, query: LogsQuery): Promise<PodLogLine[]> {
    const { namespace } = await this.access.authorize(app, principal, query.environment);
    return await recentPodLogs(this.kc, {
      namespace,
      labelSelector: `${Labels.app}=${app}`,
      container: query.container,
      tailLines: query.tail ?? DEFAULT_TAIL,
      sinceSeconds: query.since,
    });
  }
}
