import { Injectable } from '@nestjs/common';
import { ArgoWorkflows } from '@platform/argo-client';
import { ArgoLabels, labelEquals, labelIn, Labels } from '@platform/domain';
import { ConflictError } from '@platform/errors';
import { TaskConfig } from '../config/task-config';

/** A task of an app that has not finished. */
export interface UnfinishedTask {
  id: string;
  type: string;
}

/**
 * What runs for an app now, and the two rules it sets: an app is retired only when nothing of it
 * runs (a deploy could provision an environment behind the delete), and an app being retired
 * takes no new deploy (a build is harmless: it deploys nothing). Both the requests that start
 * tasks and the retries of failed ones ask here.
 */
@Injectable()
export class AppActivity {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly config: TaskConfig,
  ) {}

  /** The app's tasks that have not finished, of the given types (all types when none is given). */
  async unfinished(app: string, types: readonly string[] = []): Promise<UnfinishedTask[]> {
    const selectors = [
      labelEquals(Labels.app, app),
      ...(types.length === 0 ? [] : [labelIn(Labels.taskType, types)]),
      `${ArgoLabels.completed}!=true`,
    ];
    const found = await this.argo.list(this.config.argo.namespace, {
      labelSelector: selectors.join(','),
      fields: 'items.metadata.name,items.metadata.labels',
    });
    return (found.items ?? []).map((w) => ({
      id: w.metadata.name ?? '',
      type: w.metadata.labels?.[Labels.taskType] ?? '',
    }));
  }

  /** 409 APP_BUSY unless no task of the app runs. */
  async refuseUnlessIdle(app: string): Promise<void> {
    const running = await this.unfinished(app);
    if (running.length === 0) return;
    throw new ConflictError(
      'APP_BUSY',
      `app "${app}" has tasks that have not finished: ${running.map((t) => `${t.type} ${t.id}`).join(', ')}; ` +
        'wait for them (or cancel them) before retiring it',
      { app, tasks: running },
    );
  }

  /** 409 APP_BEING_RETIRED while a delete task of the app runs. */
  async refuseWhileRetiring(app: string): Promise<void> {
    const [retiring] = await this.unfinished(app, ['delete']);
    if (retiring === undefined) return;
    throw new ConflictError(
      'APP_BEING_RETIRED',
      `app "${app}" is being retired by task ${retiring.id}; it takes no new deploys`,
      { app, task: retiring.id },
    );
  }
}
