import { Injectable } from '@nestjs/common';
import type { Workflow } from '@platform/argo-client';
import { taskFromWorkflow, type Task } from '@platform/domain';
import { RuntimeConfig } from '@platform/service-runtime';

/** Where the monitoring service streams a task (the Ingress routes /monitoring/v1 to it). */
const MONITORING_PREFIX = '/monitoring/v1';

/** Workflows as the API shows them: the shared Task mapping plus this service's links. */
@Injectable()
export class TaskPresenter {
  constructor(private readonly runtime: RuntimeConfig) {}

  task(workflow: Workflow): Task {
    return taskFromWorkflow(workflow, {
      self: (id) => this.selfLink(id),
      stream: (id) => `${MONITORING_PREFIX}/tasks/${id}/stream`,
    });
  }

  selfLink(id: string): string {
    return `${this.runtime.routePrefix}/tasks/${id}`;
  }
}
