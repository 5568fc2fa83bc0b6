import { Injectable } from '@nestjs/common';
import { ArgoWorkflows } from '@platform/argo-client';
import type { Principal } from '@platform/service-runtime';
import { RuntimeConfig } from '@platform/service-runtime';
import { MonitoringConfig } from '../config/monitoring-config';
import type { TopicRequest } from '../streams/topic-streams';
import { TaskAccess } from './task-access';
import { taskSource } from './task.source';

const MAX_LOG_LINES = 5000;
const LOG_GRACE_MS = 5000;
const LOG_REOPEN_MS = 1000;

/** The topic of one task, shared by everyone watching it. */
@Injectable()
export class TaskStreamService {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly access: TaskAccess,
    private readonly config: MonitoringConfig,
    private readonly runtime: RuntimeConfig,
  ) {}

  async topic(id: string, principal: Principal, ref = `task:${id}`): Promise<TopicRequest> {
    await this.access.authorize(id, principal);
    const prefix = this.runtime.routePrefix;
    return {
      ref,
      key: `task:${id}`,
      source: () =>
        taskSource(this.argo, {
          namespace: this.config.argo.namespace,
          id,
          // The task service serves /task/v1 next to this service's prefix (same Ingress).
          links: { self: (t) => `/task/v1/tasks/${t}`, stream: (t) => `${prefix}/tasks/${t}/stream` },
          maxLogLines: MAX_LOG_LINES,
          logGraceMs: LOG_GRACE_MS,
          logReopenMs: LOG_REOPEN_MS,
        }),
      authorize: () => this.access.authorize(id, principal),
    };
  }
}
