import { Injectable } from '@nestjs/common';
import { ArgoWorkflows, type Workflow } from '@platform/argo-client';
import { Labels } from '@platform/domain';
import { NotFoundError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';
import { MonitoringConfig } from '../config/monitoring-config';

/** A task's team is its workflow's `platform-api/team` label; only platform workflows are tasks. */
@Injectable()
export class TaskAccess {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly config: MonitoringConfig,
  ) {}

  async authorize(id: string, principal: Principal): Promise<Workflow> {
    let workflow: Workflow;
    try {
      workflow = await this.argo.get(this.config.argo.namespace, id);
    } catch (error) {
      if (error instanceof NotFoundError) throw taskNotFound(id, error);
      throw error;
    }
    const labels = workflow.metadata.labels ?? {};
    // Another team's task is as unknown as a missing one: its existence is not confirmed.
    if (labels[Labels.taskType] === undefined || !canAccessTeam(principal, labels[Labels.team])) {
      throw taskNotFound(id);
    }
    return workflow;
  }
}

function taskNotFound(id: string, cause?: unknown): NotFoundError {
  return new NotFoundError('TASK_NOT_FOUND', `task "${id}" not found`, { id }, { cause });
}
