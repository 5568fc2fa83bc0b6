import { Injectable } from '@nestjs/common';
import { ArgoWorkflows, type Workflow } from '@platform/argo-client';
import { Annotations, Labels, labelValue, type Task, type TaskType } from '@platform/domain';
import { NotFoundError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';
import { TaskPresenter } from '../tasks/task-presenter';

/** The WorkflowTemplate (deploy/argo) each task type runs. */
const TEMPLATE_OF: Record<TaskType, string> = {
  create: 'create-app',
  ci: 'ci',
  cd: 'cd',
  delete: 'delete-app',
};

/** Everything a new task needs; parameters are already validated. */
export interface Submission {
  type: TaskType;
  app: string;
  team: string;
  parameters: Record<string, string>;
  requester: Principal;
  /** Fingerprint of the request, kept on the workflow so a replay can be told from a reuse. */
  requestHash: string;
  /** An exact workflow name (idempotent requests); otherwise Argo generates one. */
  name?: string;
  /** The app template, for create. */
  template?: string;
  /** More annotations for the workflow (what the service learned while checking the request). */
  annotations?: Record<string, string>;
}

/** A workflow the platform submitted, with the fingerprint of the request that created it. */
export interface SubmittedTask {
  task: Task;
  requestHash: string | undefined;
}

/**
 * Submits tasks as workflows from the platform's WorkflowTemplates, labelled so every service
 * can find them by app, team, type and requester.
 */
@Injectable()
export class TaskSubmitter {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly config: TaskConfig,
    private readonly presenter: TaskPresenter,
  ) {}

  async submit(submission: Submission): Promise<Task> {
    const { type, app, team, requester } = submission;
    const workflow = await this.argo.submit(this.config.argo.namespace, {
      template: TEMPLATE_OF[type],
      ...(submission.name === undefined ? { generateName: `${app}-${type}-` } : { name: submission.name }),
      parameters: submission.parameters,
      labels: {
        [Labels.app]: app,
        [Labels.team]: team,
        [Labels.taskType]: type,
        ...(submission.template === undefined ? {} : { [Labels.template]: submission.template }),
        ...requesterLabel(requester.id),
      },
      annotations: {
        // Argo's submit options are `k=v,k=v` text: a comma would split the value.
        [Annotations.requestedBy]: requester.id.replace(/,/g, '%2C'),
        [Annotations.requestHash]: submission.requestHash,
        ...submission.annotations,
      },
    });
    return this.presenter.task(workflow);
  }

  /** The task named `name`, or undefined when there is no such workflow. */
  async find(name: string): Promise<SubmittedTask | undefined> {
    let workflow: Workflow;
    try {
      workflow = await this.argo.get(this.config.argo.namespace, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    return {
      task: this.presenter.task(workflow),
      requestHash: workflow.metadata.annotations?.[Annotations.requestHash],
    };
  }
}

function requesterLabel(id: string): Record<string, string> {
  const value = labelValue(id);
  return value === '' ? {} : { [Labels.requestedBy]: value };
}
