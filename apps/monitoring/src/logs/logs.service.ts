import { KubeConfig } from '@kubernetes/client-node';
import { Injectable } from '@nestjs/common';
import { Labels } from '@platform/domain';
import type { PodLogLine } from '@platform/domain';
import { recentPodLogs } from '@platform/k8s';
import type { Principal } from '@platform/service-runtime';
import { AppAccess } from '../access/app-access';
import { MonitoringConfig } from '../config/monitoring-config';
import type { TopicRequest } from '../streams/topic-streams';
import { MAX_TAIL, type LogsQuery } from './logs.dto';
import { logsView } from './app-logs-state';
import { appLogsSource } from './logs.source';

const DEFAULT_TAIL = 100;

/** Merged pod logs of an app: the shared stream topic and the one-off read. */
@Injectable()
export class LogsService {
  constructor(
    private readonly access: AppAccess,
    private readonly kc: KubeConfig,
    private readonly config: MonitoringConfig,
  ) {}

  async topic(
    app: string,
    principal: Principal,
    query: LogsQuery = {},
    ref = `logs:${app}`,
  ): Promise<TopicRequest> {
    const { namespace } = await this.access.authorize(app, principal);
    const container = query.container;
    return {
      ref,
      // Clients of one container share; tail and since cut each client's own snapshot, per container.
      key: `logs:${app}:${container ?? '*'}`,
      source: () =>
        appLogsSource(this.kc, {
          namespace,
          app,
          container,
          keepLines: MAX_TAIL,
          idleTimeoutMs: this.config.streams.upstreamIdleTimeoutMs,
        }),
      view: logsView(query.tail ?? DEFAULT_TAIL, query.since),
      authorize: () => this.access.authorize(app, principal),
    };
  }

  async recent(app: string, principal: Principal, query: LogsQuery): Promise<PodLogLine[]> {
    const { namespace } = await this.access.authorize(app, principal);
    return await recentPodLogs(this.kc, {
      namespace,
      labelSelector: `${Labels.app}=${app}`,
      container: query.container,
      tailLines: query.tail ?? DEFAULT_TAIL,
      sinceSeconds: query.since,
    });
  }
}
