import { Injectable } from '@nestjs/common';
import { ArgoWorkflows, type Workflow } from '@platform/argo-client';
import { Labels } from '@platform/domain';
import { ForbiddenError, NotFoundError } from '@platform/errors';
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
    if (labels[Labels.taskType] === undefined) throw taskNotFound(id);
    if (!canAccessTeam(principal, labels[Labels.team])) {
      throw new ForbiddenError(
        'FORBIDDEN',
        `task "${id}" belongs to team ${labels[Labels.team] ?? '(none)'}, which you are not in`,
      );
    }
    return workflow;
  }
}

function taskNotFound(id: string, cause?: unknown): NotFoundError {
  return new NotFoundError('TASK_NOT_FOUND', `task "${id}" not found`, { id }, { cause });
}
