import { Injectable } from '@nestjs/common';
import { ArgoWorkflows, type Workflow } from '@platform/argo-client';
import { APPROVAL_STEP, Labels, type Task } from '@platform/domain';
import { ConflictError, NotFoundError, PlatformError } from '@platform/errors';
import { canAccessTeam, type Principal } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';
import { IdempotentSubmissions, type Accepted } from '../idempotency/idempotent-submissions';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { AppActivity } from './app-activity';
import { refuseApproval } from './approval-rules';
import { TaskPresenter } from './task-presenter';
import { taskSelector } from './task-selector';
import type { ListTasksQuery } from './tasks.dto';

export interface TaskPage {
  items: Task[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 20;
/** The node field selector of the cd workflow's approval step (a suspend node). */
const APPROVAL_NODE = `displayName=${APPROVAL_STEP}`;

/**
 * Tasks are Argo Workflows: read, list, cancel, retry, approve and reject them, always within the
 * caller's teams.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly config: TaskConfig,
    private readonly presenter: TaskPresenter,
    private readonly idempotency: IdempotentSubmissions,
    private readonly activity: AppActivity,
  ) {}

  async get(id: string, principal: Principal): Promise<Task> {
    return this.toTask(await this.workflow(id, principal));
  }

  async list(query: ListTasksQuery, principal: Principal): Promise<TaskPage> {
    const labelSelector = taskSelector(query, principal);
    if (labelSelector === undefined) return { items: [], nextCursor: null };
    const page = await this.argo.list(this.config.argo.namespace, {
      labelSelector,
      limit: query.limit ?? DEFAULT_LIMIT,
      continue: query.cursor,
    });
    const tasks = (page.items ?? []).map((w) => this.toTask(w));
    return {
      // Argo's phase labels cannot tell Cancelled from Failed, nor see unlabelled new workflows.
      items: query.phase === undefined ? tasks : tasks.filter((t) => t.phase === query.phase),
      nextCursor: page.metadata.continue ? page.metadata.continue : null,
    };
  }

  /** Cancels once per Idempotency-Key: a repeat answers the task instead of 409 "already ended". */
  cancel(id: string, principal: Principal, key?: string): Promise<Accepted> {
    return this.once('cancel', id, principal, key, () => this.terminate(id, principal));
  }

  /** Approves a deploy waiting for it: its approval step succeeds and the deploy goes on. */
  approve(id: string, principal: Principal, key?: string): Promise<Accepted> {
    return this.once('approve', id, principal, key, async () => {
      this.decidable(await this.workflow(id, principal), principal, 'approve');
      return this.toTask(await this.argo.resumeNodes(this.config.argo.namespace, id, APPROVAL_NODE));
    });
  }

  /** Rejects a deploy waiting for approval: its approval step fails, so nothing is deployed. */
  reject(id: string, principal: Principal, key?: string): Promise<Accepted> {
    return this.once('reject', id, principal, key, async () => {
      this.decidable(await this.workflow(id, principal), principal, 'reject');
      const message = `rejected by ${principal.id}`;
      return this.toTask(await this.argo.failNodes(this.config.argo.namespace, id, APPROVAL_NODE, message));
    });
  }

  /** Retries once per Idempotency-Key: a repeat answers the task instead of running it again. */
  retry(id: string, principal: Principal, key?: string): Promise<Accepted> {
    return this.once('retry', id, principal, key, () => this.rerun(id, principal));
  }

  private async once(
    action: string,
    id: string,
    principal: Principal,
    key: string | undefined,
    run: () => Promise<Task>,
  ): Promise<Accepted> {
    // The caller must see the task before a key can replay it.
    const task = this.toTask(await this.workflow(id, principal));
    const request = {
      type: task.type ?? 'create',
      app: task.app ?? '',
      taskId: id,
      principal,
      key,
      requestHash: requestFingerprint(action, id, {}),
    };
    return this.idempotency.submit(request, run);
  }

  private async terminate(id: string, principal: Principal): Promise<Task> {
    const task = this.toTask(await this.workflow(id, principal));
    if (task.phase !== 'Pending' && task.phase !== 'Running' && task.phase !== 'Pending approval') {
      throw new ConflictError(
        'TASK_FINISHED',
        `task "${id}" already ended ${task.phase}; there is nothing to cancel`,
        {
          phase: task.phase,
        },
      );
    }
    return this.toTask(await this.argo.terminate(this.config.argo.namespace, id));
  }

  private async rerun(id: string, principal: Principal): Promise<Task> {
    const task = this.toTask(await this.workflow(id, principal));
    if (task.phase !== 'Failed') {
      throw new ConflictError(
        'TASK_NOT_RETRYABLE',
        `only a Failed task can be retried; task "${id}" is ${task.phase}`,
        {
          phase: task.phase,
        },
      );
    }
    // A retried task runs again: the same rules as a new one of its type.
    if (task.app !== null && task.type === 'delete') await this.activity.refuseUnlessIdle(task.app);
    if (task.app !== null && task.type === 'cd') await this.activity.refuseWhileRetiring(task.app);
    return this.toTask(await this.argo.retry(this.config.argo.namespace, id));
  }

  /** The workflow of a platform task the caller may see: 404 for anything else, another team's included. */
  private async workflow(id: string, principal: Principal): Promise<Workflow> {
    let workflow: Workflow;
    try {
      workflow = await this.argo.get(this.config.argo.namespace, id);
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound(id, error);
      throw error;
    }
    const labels = workflow.metadata.labels ?? {};
    if (labels[Labels.taskType] === undefined || !canAccessTeam(principal, labels[Labels.team])) {
      throw notFound(id);
    }
    return workflow;
  }

  private decidable(workflow: Workflow, principal: Principal, decision: 'approve' | 'reject'): void {
    refuseApproval(this.toTask(workflow), principal, decision);
  }

  private toTask(workflow: Workflow): Task {
    return this.presenter.task(workflow);
  }
}

function notFound(id: string, cause?: PlatformError): NotFoundError {
  return new NotFoundError('TASK_NOT_FOUND', `task "${id}" not found`, { id }, { cause });
}
